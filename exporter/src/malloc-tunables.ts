/**
 * glibc malloc settings the installed bin's shebang (launch.ts) puts before the user's own
 * GLIBC_TUNABLES: malloc's heap in transparent huge pages (where the kernel gives them on
 * request, `madvise` mode, the usual default), grown 64 MB at a time so its regions are large
 * enough for them. A first `daily` touches ~12,000 fresh 4 kB pages; on a virtual machine a
 * page fault costs ~11 us (measured on the benchmark machine), and with these 6,800 remain:
 * 695 -> 653 ms (bench/RESULTS.md, cli section), RSS 79 -> 89 MB. ccusage's native binary
 * asks for huge pages for its whole heap the same way. Ignored where glibc is not the libc.
 * The price is resident memory in a long-running process: `quotacast serve` started through
 * the bin held 115-117 MB after the first ingest, 94-98 MB without (a huge page is resident whole).
 * The installed service runs node on the CLI directly (service/render.ts), without them.
 */
export const OWN_MALLOC_TUNABLES = "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=67108864:";

/**
 * The environment without this process's own tunables, for the processes it starts (an
 * editor, systemctl): they get the user's GLIBC_TUNABLES as it was, or none.
 */
export function withoutOwnMallocTunables(env: NodeJS.ProcessEnv): void {
  const value = env.GLIBC_TUNABLES;
  if (value === undefined || !value.startsWith(OWN_MALLOC_TUNABLES)) return;
  const theirs = value.slice(OWN_MALLOC_TUNABLES.length);
  if (theirs === "") delete env.GLIBC_TUNABLES;
  else env.GLIBC_TUNABLES = theirs;
}

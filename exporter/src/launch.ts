#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.top_pad=67108864:${GLIBC_TUNABLES} node --max-semi-space-size=2 --initial-old-space-size=64
/**
 * The installed `quotacast` bin: runs the CLI (cli.js beside it) through the compile cache.
 * The shebang's small young generation (2 MB semi-spaces) keeps a first scan's short-lived
 * strings from growing the process by ~30 MB (bench/RESULTS.md, cli section). Its larger
 * first old generation (64 MB) spares a first scan the full collection V8 starts at ~7 MB of
 * old space, while the scan still grows its heap (9 ms; a cold `daily` 714 -> 700 ms, median
 * of 11 interleaved runs; a `serve` started through this bin holds 3-5 MB more). Its
 * GLIBC_TUNABLES are malloc-tunables.ts's (env -S appends the user's own after them).
 */
import * as path from "node:path";
import { runWithCompileCache } from "./compile-cache";
import { withoutOwnMallocTunables } from "./malloc-tunables";

withoutOwnMallocTunables(process.env);
runWithCompileCache(path.join(__dirname, "cli.js"));

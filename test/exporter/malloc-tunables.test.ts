import { OWN_MALLOC_TUNABLES, withoutOwnMallocTunables } from "../../exporter/src/malloc-tunables";

describe("the bin's own malloc tunables stay out of the processes it starts", () => {
  test("with no GLIBC_TUNABLES of the user's, none is left", () => {
    const env: NodeJS.ProcessEnv = { GLIBC_TUNABLES: OWN_MALLOC_TUNABLES, HOME: "/h" };
    withoutOwnMallocTunables(env);
    expect(env).toEqual({ HOME: "/h" });
  });

  test("the user's own come back as they were", () => {
    const env: NodeJS.ProcessEnv = { GLIBC_TUNABLES: `${OWN_MALLOC_TUNABLES}glibc.malloc.arena_max=2` };
    withoutOwnMallocTunables(env);
    expect(env.GLIBC_TUNABLES).toBe("glibc.malloc.arena_max=2");
  });

  test("a value the shebang did not write (node run directly) is left alone", () => {
    const env: NodeJS.ProcessEnv = { GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" };
    withoutOwnMallocTunables(env);
    expect(env.GLIBC_TUNABLES).toBe("glibc.malloc.hugetlb=1");
    const none: NodeJS.ProcessEnv = {};
    withoutOwnMallocTunables(none);
    expect(none).toEqual({});
  });
});

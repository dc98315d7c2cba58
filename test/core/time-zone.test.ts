import { systemTimeZone } from "../../core/src/io/node";
import { zoneFromLocaltimeLink, zoneFromTzVariable } from "../../core/src/time";

describe("this machine's zone, found without ICU where the system names it", () => {
  it("reads an IANA name from TZ, with or without the leading colon glibc allows", () => {
    expect(zoneFromTzVariable("Europe/Paris")).toBe("Europe/Paris");
    expect(zoneFromTzVariable(":America/Argentina/Buenos_Aires")).toBe("America/Argentina/Buenos_Aires");
    expect(zoneFromTzVariable("UTC")).toBe("UTC");
    expect(zoneFromTzVariable("Etc/GMT+5")).toBe("Etc/GMT+5");
    expect(zoneFromTzVariable("posix/Asia/Tokyo")).toBe("Asia/Tokyo");
    expect(zoneFromTzVariable("Factory")).toBe("UTC"); // the database's placeholder, unknown to ICU
  });

  it("leaves POSIX rules, paths and empty values to ICU", () => {
    for (const tz of [
      undefined,
      "",
      "CET-1CEST,M3.5.0,M10.5.0/3",
      "EST5EDT",
      "/etc/zone",
      "Europe/../x",
      "a b",
    ])
      expect(zoneFromTzVariable(tz)).toBeNull();
  });

  it("reads the zone from the /etc/localtime link of Linux and macOS", () => {
    expect(zoneFromLocaltimeLink("/usr/share/zoneinfo/Europe/Berlin")).toBe("Europe/Berlin");
    expect(zoneFromLocaltimeLink("../usr/share/zoneinfo/Etc/UTC")).toBe("Etc/UTC");
    expect(zoneFromLocaltimeLink("/usr/share/zoneinfo/Factory")).toBe("UTC");
    expect(zoneFromLocaltimeLink("/var/db/timezone/zoneinfo/America/New_York")).toBe("America/New_York");
    expect(zoneFromLocaltimeLink("/etc/localtime.copy")).toBeNull();
  });

  it("names a zone ICU knows (ICU may spell it its own way: Asia/Calcutta for Asia/Kolkata)", () => {
    for (const tz of ["Europe/Paris", "Asia/Kolkata", "UTC"]) {
      const zone = systemTimeZone({ TZ: tz });
      expect(zone).toBe(tz);
      expect(() => new Intl.DateTimeFormat("en-US", { timeZone: zone })).not.toThrow();
    }
    expect(systemTimeZone({ TZ: "CET-1CEST" })).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });
});

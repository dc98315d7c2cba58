import * as fs from "node:fs";
import * as path from "node:path";
import { checkedSystemZone, checkGivenZone } from "../../exporter/src/zone";
import { tempDirPerTest } from "../support/per-test";

const tmp = tempDirPerTest("qc-zone-");
const savedTzdir = process.env.TZDIR;
afterEach(() => {
  if (savedTzdir === undefined) delete process.env.TZDIR;
  else process.env.TZDIR = savedTzdir;
});

describe("checkedSystemZone", () => {
  it("takes a zone the system's tz database has (TZDIR) without asking ICU", () => {
    fs.mkdirSync(path.join(tmp(), "Test"), { recursive: true });
    fs.writeFileSync(path.join(tmp(), "Test", "Zone"), "TZif");
    process.env.TZDIR = tmp();
    expect(checkedSystemZone("Test/Zone")).toBe("Test/Zone"); // ICU has no such zone
    expect(checkedSystemZone("UTC")).toBe("UTC");
  });

  it("asks ICU about a zone the database lacks, and falls back to ICU's own zone for one ICU rejects", () => {
    process.env.TZDIR = tmp(); // empty database
    expect(checkedSystemZone("Europe/Paris")).toBe("Europe/Paris");
    expect(checkedSystemZone("No/Such_Zone")).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(checkedSystemZone("../Test/Zone")).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });
});

describe("checkedSystemZone where ICU has no usable zone", () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it("is UTC with TZ=Factory (the tz database's placeholder, unknown to ICU)", () => {
    process.env.TZ = "Factory"; // read by systemTimeZone (jest's process.env does not reach ICU)
    expect(checkedSystemZone()).toBe("UTC");
  });

  it("falls back to UTC when ICU knows neither the zone nor one of its own", () => {
    expect(checkedSystemZone("Mars/Olympus", () => undefined)).toBe("UTC"); // ICU's answer to TZ=Mars/Olympus
    expect(checkedSystemZone("Mars/Olympus", () => "Etc/Unknown")).toBe("UTC"); // ICU's answer to TZ=Factory
  });
});

describe("checkGivenZone", () => {
  it("takes UTC without ICU and asks ICU about any other zone, even one the tz database has", () => {
    fs.mkdirSync(path.join(tmp(), "Test"), { recursive: true });
    fs.writeFileSync(path.join(tmp(), "Test", "Zone"), "TZif");
    process.env.TZDIR = tmp();
    expect(checkGivenZone("UTC")).toBe("UTC");
    expect(checkGivenZone("Etc/UTC")).toBe("Etc/UTC");
    expect(checkGivenZone("Europe/Paris")).toBe("Europe/Paris");
    // In the database, unknown to ICU: a usage error, as for a zone nobody knows.
    expect(() => checkGivenZone("Test/Zone")).toThrow(/unknown time zone 'Test\/Zone'/);
    expect(() => checkGivenZone("Mars/Olympus")).toThrow(/unknown time zone 'Mars\/Olympus'/);
  });
});

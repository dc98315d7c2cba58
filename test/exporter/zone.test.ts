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

describe("checkGivenZone", () => {
  it("takes UTC and the machine's own zone from its tz database without ICU, and asks ICU about any other", () => {
    fs.mkdirSync(path.join(tmp(), "Test"), { recursive: true });
    fs.writeFileSync(path.join(tmp(), "Test", "Zone"), "TZif");
    process.env.TZDIR = tmp();
    expect(checkGivenZone("UTC", "Test/Zone")).toBe("UTC");
    expect(checkGivenZone("Etc/UTC", "Test/Zone")).toBe("Etc/UTC");
    expect(checkGivenZone("Test/Zone", "Test/Zone")).toBe("Test/Zone"); // ICU has no such zone
    expect(checkGivenZone("Europe/Paris", "Test/Zone")).toBe("Europe/Paris"); // not in the database: ICU knows it
    // Another zone than the machine's goes to ICU, whatever the database holds.
    fs.writeFileSync(path.join(tmp(), "Test", "Other"), "TZif");
    expect(() => checkGivenZone("Test/Other", "Test/Zone")).toThrow(/unknown time zone 'Test\/Other'/);
    expect(() => checkGivenZone("Mars/Olympus", "Test/Zone")).toThrow(/unknown time zone 'Mars\/Olympus'/);
  });
});

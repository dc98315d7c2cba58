import { parseDurationMs, parseInstantMs, parseLabels } from "../../../exporter/src/backfill/args";

describe("backfill argument parsing", () => {
  test("reads Prometheus-style durations", () => {
    expect(parseDurationMs("30s")).toBe(30_000);
    expect(parseDurationMs("5m")).toBe(300_000);
    expect(parseDurationMs("1h30m")).toBe(5_400_000);
    expect(parseDurationMs("1d")).toBe(86_400_000);
    for (const bad of ["", "5", "m", "5x", "0m", "5m garbage"])
      expect(() => parseDurationMs(bad)).toThrow(/invalid duration/);
  });

  test("reads instants: now, now minus a duration, epoch seconds and ISO 8601", () => {
    const now = Date.UTC(2026, 10, 22, 12);
    expect(parseInstantMs("now", now)).toBe(now);
    expect(parseInstantMs("now-3h", now)).toBe(now - 3 * 3_600_000);
    expect(parseInstantMs("1763800000", now)).toBe(1_763_800_000_000);
    expect(parseInstantMs("2026-11-20T12:00:00Z", now)).toBe(Date.UTC(2026, 10, 20, 12));
    expect(() => parseInstantMs("tomorrow", now)).toThrow(/invalid time 'tomorrow'/);
  });

  test("reads labels and refuses invalid or reserved names", () => {
    expect(parseLabels(["instance=host:9847", "job=quota=cast", "empty="])).toEqual({
      instance: "host:9847",
      job: "quota=cast",
      empty: "",
    });
    expect(() => parseLabels(["instance"])).toThrow(/expected name=value/);
    expect(() => parseLabels(["__name__=x"])).toThrow(/invalid --label/);
    expect(() => parseLabels(["type=x"])).toThrow(/set by the metric itself/);
  });
});

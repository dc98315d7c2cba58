/**
 * A rate-limit source that exists only in the tests: the whole of what adding a source takes
 * (this one file, plus one `registerSource(fixtureSource)` line). It reports one window at a
 * fixed utilization, resetting an hour after each poll.
 */
import * as v from "valibot";
import { sourceStatus, type LimitSource, type PollContext, type SourceDefinition } from "@quotacast/core";

export const FIXTURE_SOURCE = "fixture";
export const FIXTURE_WINDOW = "fixture_window";

const fixtureSourceOptions = v.object({
  enabled: v.optional(v.boolean()),
  /** What the window reads, 0-1. Default 0.42. */
  utilizationRatio: v.optional(v.pipe(v.number(), v.minValue(0))),
});
type FixtureSourceConfig = v.InferOutput<typeof fixtureSourceOptions>;

const isEnabled = (ctx: PollContext): boolean => ctx.config.fixture?.enabled === true;

function createFixtureSource(): LimitSource {
  return {
    name: FIXTURE_SOURCE,
    description: "a test fixture",
    defaultIntervalMs: 60_000,
    isEnabled,
    async poll(ctx) {
      const nowMs = ctx.clock.nowMs();
      const nextPollAtMs = nowMs + 60_000;
      if (!isEnabled(ctx))
        return {
          snapshot: null,
          status: sourceStatus(FIXTURE_SOURCE, "disabled", "off", null),
          nextPollAtMs,
        };
      const options = v.parse(fixtureSourceOptions, ctx.config.fixture ?? {});
      return {
        snapshot: {
          observedAtMs: nowMs,
          source: FIXTURE_SOURCE,
          windows: [
            {
              window: FIXTURE_WINDOW,
              utilizationRatio: options.utilizationRatio ?? 0.42,
              resetsAtMs: nowMs + 3600_000,
              windowLengthMs: 5 * 3600_000,
              status: "allowed",
              source: FIXTURE_SOURCE,
              observedAtMs: nowMs,
            },
          ],
        },
        status: sourceStatus(FIXTURE_SOURCE, "ok", "ok", nowMs),
        nextPollAtMs,
      };
    },
  };
}

export const fixtureSource: SourceDefinition<FixtureSourceConfig> = {
  name: FIXTURE_SOURCE,
  configKey: "fixture",
  description: "the test fixture source (opt-in)",
  enabledByDefault: false,
  options: fixtureSourceOptions,
  create: createFixtureSource,
};

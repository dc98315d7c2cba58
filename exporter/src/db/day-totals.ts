/**
 * Per-day totals (per calendar day of a time zone, project and model) kept next to the
 * ledger's winners and updated in the same transaction as each commit: `quotacast daily`,
 * `weekly` and `monthly` read these few hundred rows instead of every event.
 *
 * Exactness: the ledger still keeps one winner per dedup key (largest copy wins, across files
 * and later reads); every commit hands over (previous winner, new winner) pairs and the totals
 * move by exactly their difference. Costs are summed per event at ingest with the bundled
 * price table; a table written with other prices, or a zone not kept yet, is rebuilt once
 * from the stored winners.
 */
import type { UsageChange, UsageEvent } from "@quotacast/core/ingest";
import { bundledPriceTable, costUsd } from "@quotacast/core/pricing";
import { dayKey } from "@quotacast/core/usage";
import { fnv1aHex } from "../hash";
import type { Db } from "./open";

/** One stored row: a day of one zone, one project, one model. */
export interface DayTotalRow {
  day: string;
  project: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  /** Sum of the priced events' costs. */
  costUsd: number;
  /** Events without a price (their model has none): the row's cost is then unknown. */
  unpricedEvents: number;
  events: number;
}

interface Delta {
  zone: string;
  day: string;
  project: string;
  model: string;
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
  cost: number;
  unpriced: number;
  events: number;
}

let pricesFingerprint: string | null = null;

/** Changes when the bundled prices change, so totals priced with old prices are rebuilt. */
function currentPricesFingerprint(): string {
  pricesFingerprint ??= fnv1aHex(JSON.stringify(bundledPriceTable()));
  return pricesFingerprint;
}

export class DayTotals {
  private zones: string[];
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      zones: db.prepare("SELECT timezone, prices FROM usage_day_zones"),
      putZone: db.prepare("INSERT OR REPLACE INTO usage_day_zones (timezone, prices) VALUES (?, ?)"),
      clearZone: db.prepare("DELETE FROM usage_day_totals WHERE timezone = ?"),
      add: db.prepare(
        "INSERT INTO usage_day_totals (timezone, day, project, model, input_tokens, output_tokens, " +
          "cache_creation_tokens, cache_read_tokens, cost_usd, unpriced_events, events) " +
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) " +
          "ON CONFLICT (timezone, day, project, model) DO UPDATE SET " +
          "input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens, " +
          "cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens, " +
          "cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, cost_usd = cost_usd + excluded.cost_usd, " +
          "unpriced_events = unpriced_events + excluded.unpriced_events, events = events + excluded.events",
      ),
      prune: db.prepare("DELETE FROM usage_day_totals WHERE timezone = ? AND events = 0"),
      rows: db.prepare(
        "SELECT day, project, model, input_tokens AS inputTokens, output_tokens AS outputTokens, " +
          "cache_creation_tokens AS cacheCreationTokens, cache_read_tokens AS cacheReadTokens, " +
          "cost_usd AS costUsd, unpriced_events AS unpricedEvents, events FROM usage_day_totals " +
          "WHERE timezone = ? AND day >= ? AND day <= ? ORDER BY day",
      ),
    };
    this.zones = this.currentZones();
  }

  /**
   * Keeps totals for `zone` from now on; the first time (or after a price change), builds
   * them from `allEvents` (the stored winners) in one transaction.
   */
  ensureZone(zone: string, allEvents: () => Iterable<UsageEvent>): void {
    if (this.zones.includes(zone)) return;
    this.db.transaction(() => {
      this.statements.clearZone.run(zone);
      const deltas = new Deltas(zone);
      for (const event of allEvents()) deltas.add(event, 1);
      deltas.forEach((delta) => addRow(this.statements.add, delta));
      this.statements.putZone.run(zone, currentPricesFingerprint());
    })();
    this.zones = this.currentZones();
  }

  /** Whether totals for `zone` are kept (with the current prices). */
  keeps(zone: string): boolean {
    return this.zones.includes(zone);
  }

  /** Moves the totals of every kept zone by these changes; call inside the commit's transaction. */
  apply(changes: readonly UsageChange[]): void {
    if (this.zones.length === 0 || changes.length === 0) return;
    for (const zone of this.zones) {
      const deltas = new Deltas(zone);
      for (const change of changes) {
        if (change.previous) deltas.add(change.previous, -1);
        deltas.add(change.current, 1);
      }
      deltas.forEach((delta) => addRow(this.statements.add, delta));
      this.statements.prune.run(zone);
    }
  }

  /** Rows of `zone` between two days (inclusive, `YYYY-MM-DD`), oldest first. */
  rows(zone: string, sinceDay = "0000-00-00", untilDay = "9999-99-99"): DayTotalRow[] {
    return this.statements.rows.all(zone, sinceDay, untilDay) as DayTotalRow[];
  }

  /** Zones kept with the current prices (others are dropped, to be rebuilt when asked for). */
  private currentZones(): string[] {
    const fingerprint = currentPricesFingerprint();
    const zones: string[] = [];
    for (const row of this.statements.zones.all() as { timezone: string; prices: string }[]) {
      if (row.prices === fingerprint) zones.push(row.timezone);
    }
    return zones;
  }
}

/** Adds a delta to its row; positional parameters (binding by name looks each one up). */
function addRow(statement: { run(...values: unknown[]): unknown }, d: Delta): void {
  statement.run(
    d.zone,
    d.day,
    d.project,
    d.model,
    d.input,
    d.output,
    d.cacheCreation,
    d.cacheRead,
    d.cost,
    d.unpriced,
    d.events,
  );
}

/** Sums of events per day, project and model of one zone, in the order the events come. */
class Deltas {
  private readonly byRow = new Map<string, Delta>();
  /** The row of the last event: the next one is usually of the same (a commit comes file by file). */
  private last: Delta | null = null;

  constructor(private readonly zone: string) {}

  add(event: UsageEvent, sign: 1 | -1): void {
    const day = dayKey(event.timestampMs, this.zone);
    let delta = this.last;
    if (
      delta === null ||
      delta.day !== day ||
      delta.project !== event.project ||
      delta.model !== event.model
    ) {
      delta = this.row(day, event.project, event.model);
      this.last = delta;
    }
    delta.input += sign * event.inputTokens;
    delta.output += sign * event.outputTokens;
    delta.cacheCreation += sign * event.cacheCreationTokens;
    delta.cacheRead += sign * event.cacheReadTokens;
    const cost = costUsd(event);
    if (cost === null) delta.unpriced += sign;
    else delta.cost += sign * cost;
    delta.events += sign;
  }

  forEach(visit: (delta: Delta) => void): void {
    this.byRow.forEach(visit);
  }

  private row(day: string, project: string, model: string): Delta {
    const id = `${day}\u0000${project}\u0000${model}`;
    let delta = this.byRow.get(id);
    if (!delta) {
      delta = {
        zone: this.zone,
        day,
        project,
        model,
        input: 0,
        output: 0,
        cacheCreation: 0,
        cacheRead: 0,
        cost: 0,
        unpriced: 0,
        events: 0,
      };
      this.byRow.set(id, delta);
    }
    return delta;
  }
}

/**
 * Where the ledger's store keeps each dedup key's winner: a segment, and a position in that
 * segment's block of events (db/ledger-store.ts). Pure bookkeeping, no SQLite.
 *
 * Segments are added oldest first; a key added again moves to its newer copy, which is the
 * winner (a commit writes only copies that beat the stored one). A location is one number,
 * segment id * 2^24 + position, so a large index costs one map entry per key.
 */

/** Positions per segment: a merge that would hold more events than this does not happen. */
const MAX_EVENTS_PER_SEGMENT = 2 ** 24 - 1;
const POSITIONS = 2 ** 24;

export interface IndexedSegment {
  id: number;
  /** Events its block holds, dead copies included. */
  events: number;
}

export class SegmentIndex {
  private readonly locations = new Map<string, number>();
  private readonly list: IndexedSegment[] = [];

  /** Segments, oldest first. */
  get segments(): readonly IndexedSegment[] {
    return this.list;
  }

  /** Keys with a stored winner. */
  get keyCount(): number {
    return this.locations.size;
  }

  /** Records a segment newer than every one added before, whose block holds `keys` in this order. */
  addSegment(id: number, keys: readonly string[]): void {
    this.list.push({ id, events: keys.length });
    keys.forEach((key, position) => this.locations.set(key, id * POSITIONS + position));
  }

  /** Where `key`'s winner is, or undefined when no copy is stored. */
  locate(key: string): { segmentId: number; position: number } | undefined {
    const location = this.locations.get(key);
    if (location === undefined) return undefined;
    return { segmentId: Math.floor(location / POSITIONS), position: location % POSITIONS };
  }

  /** Whether the event at `position` of segment `segmentId` is `key`'s winner (not a dead older copy). */
  isWinner(key: string, segmentId: number, position: number): boolean {
    return this.locations.get(key) === segmentId * POSITIONS + position;
  }

  /**
   * The older of the two adjacent segments holding the fewest events together (merging them
   * costs least), or null when fewer than two segments or the merge would be too large.
   */
  cheapestMerge(): { older: IndexedSegment; newer: IndexedSegment } | null {
    let best = -1;
    for (let i = 0; i + 1 < this.list.length; i++) {
      const events = this.list[i].events + this.list[i + 1].events;
      if (events > MAX_EVENTS_PER_SEGMENT) continue;
      if (best < 0 || events < this.list[best].events + this.list[best + 1].events) best = i;
    }
    return best < 0 ? null : { older: this.list[best], newer: this.list[best + 1] };
  }

  /**
   * Records that `older` and `newer` (adjacent) were merged into `newer`'s id, whose block now
   * holds `keys`, the winners of both, in this order.
   */
  merged(older: IndexedSegment, newer: IndexedSegment, keys: readonly string[]): void {
    this.list.splice(this.list.indexOf(older), 1);
    newer.events = keys.length;
    keys.forEach((key, position) => this.locations.set(key, newer.id * POSITIONS + position));
  }
}

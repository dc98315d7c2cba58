/**
 * One window as a bar: the used share filled, the forecast's 80% range at reset shaded, its
 * median marked, the rest empty. Pure; colour is applied by the caller per segment.
 */

export type BarCell = "used" | "range" | "median" | "empty";

export interface BarInput {
  usedRatio: number;
  /** The forecast at reset, when there is one; every value is clamped to [used, 1]. */
  p10Ratio?: number;
  p50Ratio?: number;
  p90Ratio?: number;
}

const BAR_GLYPHS: Record<BarCell, string> = {
  used: "█",
  range: "▒",
  median: "┃",
  empty: "░",
};

/** The kind of each of `width` cells. */
export function barCells(input: BarInput, width: number): BarCell[] {
  const clamp = (r: number) => Math.min(1, Math.max(0, r));
  const used = clamp(input.usedRatio);
  const usedCells = Math.round(used * width);
  const cells: BarCell[] = Array.from({ length: width }, (_, i) => (i < usedCells ? "used" : "empty"));
  if (input.p10Ratio === undefined || input.p90Ratio === undefined) return cells;
  const from = Math.max(usedCells, Math.round(clamp(input.p10Ratio) * width));
  const to = Math.round(clamp(Math.max(input.p90Ratio, used)) * width);
  for (let i = from; i < to; i++) cells[i] = "range";
  if (input.p50Ratio !== undefined) {
    const median = Math.min(width - 1, Math.round(clamp(input.p50Ratio) * width));
    if (median >= usedCells) cells[median] = "median";
  }
  return cells;
}

/** Runs of equal cells, so a caller colours a few segments instead of every cell. */
export function barSegments(cells: readonly BarCell[]): Array<{ cell: BarCell; text: string }> {
  const out: Array<{ cell: BarCell; text: string }> = [];
  for (const cell of cells) {
    const last = out[out.length - 1];
    if (last && last.cell === cell) last.text += BAR_GLYPHS[cell];
    else out.push({ cell, text: BAR_GLYPHS[cell] });
  }
  return out;
}

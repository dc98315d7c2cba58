/**
 * Plain aligned text tables (no dependency, no escape codes): multi-line cells, a rule above
 * the totals, and a width to fit: columns marked `drop` go first (highest first), then
 * columns marked `shrink` are cut with an ellipsis, so a table never wraps in the terminal.
 */

export type Align = "left" | "right";

export interface Column {
  header: string;
  align: Align;
  /** When the table is too wide, columns with the highest `drop` go first. */
  drop?: number;
  /**
   * Text that may be cut (with an ellipsis) to fit, down to `MIN_SHRUNK_WIDTH`: its end, or
   * with `keep-end` its start (an encoded project path says most in its last part).
   */
  shrink?: true | "keep-end";
}

const MIN_SHRUNK_WIDTH = 8;

export interface TableRows {
  rows: string[][];
  /** Rendered after a rule, e.g. the totals row. */
  footer?: string[][];
}

const GAP = "  ";

/** Colour for the header and totals rows (identity when the output is not a terminal). */
export interface TablePaint {
  header(text: string): string;
  footer(text: string): string;
}

const NO_PAINT: TablePaint = { header: (t) => t, footer: (t) => t };

export function renderTable(
  allColumns: readonly Column[],
  body: TableRows,
  maxWidth = Infinity,
  paint: TablePaint = NO_PAINT,
): string {
  const { columns, keep } = fitColumns(allColumns, body, maxWidth);
  const pick = (row: readonly string[]) => keep.map((i) => row[i] ?? "");
  const rows = body.rows.map(pick);
  const footer = (body.footer ?? []).map(pick);
  const widths = columnWidths(columns, [...rows, ...footer]);
  shrinkToFit(columns, widths, maxWidth);
  const rule = "─".repeat(tableWidth(widths));
  const header = formatLine(
    columns.map((c) => c.header),
    columns,
    widths,
  );
  const lines = [paint.header(header.trimEnd()), rule];
  for (const row of rows) lines.push(...formatRow(row, columns, widths).map((l) => l.trimEnd()));
  if (footer.length > 0) {
    lines.push(rule);
    for (const row of footer)
      lines.push(...formatRow(row, columns, widths).map((l) => paint.footer(l.trimEnd())));
  }
  return lines.join("\n") + "\n";
}

function columnWidths(columns: readonly Column[], rows: readonly string[][]): number[] {
  return columns.map((c, i) =>
    Math.max(c.header.length, ...rows.flatMap((row) => (row[i] ?? "").split("\n").map((l) => l.length))),
  );
}

function tableWidth(widths: readonly number[]): number {
  return widths.reduce((a, b) => a + b, 0) + GAP.length * Math.max(0, widths.length - 1);
}

/** The columns kept (and their indexes) once droppable ones went, highest `drop` first, until it fits. */
function fitColumns(columns: readonly Column[], body: TableRows, maxWidth: number) {
  const all = [...body.rows, ...(body.footer ?? [])];
  const widths = columnWidths(columns, all);
  const keep = columns.map((_, i) => i);
  const droppable = keep
    .filter((i) => columns[i].drop !== undefined)
    .sort((a, b) => columns[b].drop! - columns[a].drop!);
  const minWidth = (i: number) => (columns[i].shrink ? Math.min(widths[i], MIN_SHRUNK_WIDTH) : widths[i]);
  for (const i of droppable) {
    if (tableWidth(keep.map(minWidth)) <= maxWidth) break;
    keep.splice(keep.indexOf(i), 1);
  }
  return { columns: keep.map((i) => columns[i]), keep };
}

/** Narrows shrinkable columns (widest first) until the table fits; their cells are cut later. */
function shrinkToFit(columns: readonly Column[], widths: number[], maxWidth: number): void {
  let excess = tableWidth(widths) - maxWidth;
  while (excess > 0) {
    const candidates = columns
      .map((c, i) => i)
      .filter((i) => columns[i].shrink && widths[i] > MIN_SHRUNK_WIDTH);
    if (candidates.length === 0) return;
    const widest = candidates.reduce((a, b) => (widths[b] > widths[a] ? b : a));
    const cut = Math.min(excess, widths[widest] - MIN_SHRUNK_WIDTH);
    widths[widest] -= cut;
    excess -= cut;
  }
}

function formatRow(row: readonly string[], columns: readonly Column[], widths: number[]): string[] {
  const cells = columns.map((_, i) => (row[i] ?? "").split("\n"));
  const height = Math.max(...cells.map((c) => c.length));
  const out: string[] = [];
  for (let line = 0; line < height; line++) {
    out.push(
      formatLine(
        cells.map((c) => c[line] ?? ""),
        columns,
        widths,
      ),
    );
  }
  return out;
}

function formatLine(cells: readonly string[], columns: readonly Column[], widths: number[]): string {
  return cells
    .map((cell, i) => {
      const text = cell.length <= widths[i] ? cell : cut(cell, widths[i], columns[i].shrink === "keep-end");
      return columns[i].align === "right" ? text.padStart(widths[i]) : text.padEnd(widths[i]);
    })
    .join(GAP);
}

function cut(text: string, width: number, keepEnd: boolean): string {
  return keepEnd ? `…${text.slice(text.length - width + 1)}` : `${text.slice(0, width - 1)}…`;
}

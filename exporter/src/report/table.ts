/** Plain aligned text tables (no dependency): multi-line cells, a rule above the totals. */

export type Align = "left" | "right";

export interface Column {
  header: string;
  align: Align;
}

export interface TableRows {
  rows: string[][];
  /** Rendered after a rule, e.g. the totals row. */
  footer?: string[][];
}

const GAP = "  ";

export function renderTable(columns: readonly Column[], body: TableRows): string {
  const all = [...body.rows, ...(body.footer ?? [])];
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...all.flatMap((row) => (row[i] ?? "").split("\n").map((l) => l.length))),
  );
  const totalWidth = widths.reduce((a, b) => a + b, 0) + GAP.length * (columns.length - 1);
  const rule = "─".repeat(totalWidth);
  const lines = [
    formatLine(
      columns.map((c) => c.header),
      columns,
      widths,
    ),
    rule,
  ];
  for (const row of body.rows) lines.push(...formatRow(row, columns, widths));
  if (body.footer && body.footer.length > 0) {
    lines.push(rule);
    for (const row of body.footer) lines.push(...formatRow(row, columns, widths));
  }
  return lines.map((l) => l.trimEnd()).join("\n") + "\n";
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
    .map((cell, i) => (columns[i].align === "right" ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
    .join(GAP);
}

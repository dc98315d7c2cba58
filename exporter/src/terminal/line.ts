/**
 * A screen line as segments of plain text, each with an optional paint. Widths are counted on
 * the plain text (every glyph quotacast draws is one column wide), so a line is cut to the
 * terminal's width before colour is added and never wraps.
 */
import type { Style } from "./style";

export type Paint = keyof Pick<Style, "red" | "yellow" | "green" | "cyan" | "dim" | "bold" | "magenta">;

export interface Segment {
  text: string;
  paint?: Paint;
}

export type Line = Segment[];

export function plainText(line: Line): string {
  return line.map((s) => s.text).join("");
}

/** The line cut to `width` columns (an ellipsis marks the cut). */
export function fitLine(line: Line, width: number): Line {
  if (plainText(line).length <= width) return line;
  const out: Line = [];
  let left = Math.max(0, width - 1);
  for (const segment of line) {
    if (left <= 0) break;
    const text = segment.text.slice(0, left);
    out.push({ ...segment, text });
    left -= text.length;
  }
  out.push({ text: "…" });
  return out;
}

export function paintLine(line: Line, style: Style): string {
  return line.map((s) => (s.paint ? style[s.paint](s.text) : s.text)).join("");
}

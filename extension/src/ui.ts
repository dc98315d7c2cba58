/** Small Raycast-facing pieces shared by both commands. */
import { Color } from "@raycast/api";
import type { Level } from "./format";

/** Run once in a terminal, with the `quotacast` command installed (README: Install). */
export const STATUSLINE_INSTALL_COMMAND = "quotacast statusline install";

export function levelColor(level: Level): Color {
  switch (level) {
    case "critical":
      return Color.Red;
    case "warning":
      return Color.Yellow;
    default:
      return Color.Green;
  }
}

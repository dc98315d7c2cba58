/** Small Raycast-facing pieces shared by both commands. */
import { Color } from "@raycast/api";
import type { Level } from "./format";

/** Run once in a terminal, with the `quotacast` command installed (README: Install). */
export const STATUSLINE_INSTALL_COMMAND = "quotacast statusline install";

/** Claude's own usage page (plan limits, extra usage). */
export const CLAUDE_USAGE_URL = "https://claude.ai/settings/usage";

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

/**
 * The menu-bar icon's tint: gray with nothing to judge, no color (the menu bar's own) while all is
 * normal with the monochrome preference, else the level's color.
 */
export function iconTint(level: Level | null, monochrome: boolean): Color {
  if (level === null) return Color.SecondaryText;
  if (level === "normal" && monochrome) return Color.PrimaryText;
  return levelColor(level);
}

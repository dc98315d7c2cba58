/**
 * Writes grafana/dashboards/*.json from the dashboard definitions beside this file.
 * Usage: npx tsx scripts/dashboards/generate.ts
 * The JSON in the repo is what Grafana loads; test/grafana checks it matches this output.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type DashboardSpec, buildDashboard } from "./grafana";
import { nowDashboard } from "./now";
import { organizationDashboard } from "./organization";
import { trendsDashboard } from "./trends";

export const DASHBOARD_DIR = path.join(__dirname, "..", "..", "grafana", "dashboards");
export const DASHBOARD_SPECS: readonly DashboardSpec[] = [
  nowDashboard,
  trendsDashboard,
  organizationDashboard,
];

/** File name -> JSON text, exactly as written to grafana/dashboards/. */
export function renderDashboards(): Map<string, string> {
  return new Map(
    DASHBOARD_SPECS.map((spec) => [spec.fileName, `${JSON.stringify(buildDashboard(spec), null, 2)}\n`]),
  );
}

if (require.main === module) {
  fs.mkdirSync(DASHBOARD_DIR, { recursive: true });
  for (const [fileName, text] of renderDashboards()) {
    fs.writeFileSync(path.join(DASHBOARD_DIR, fileName), text);
    console.log(`wrote ${path.join(DASHBOARD_DIR, fileName)}`);
  }
}

/**
 * The Prometheus rules: promtool's own checks and unit tests, a firing and a silent test
 * for every alert, the annotations every alert needs, and expressions that parse and read
 * only metrics of docs/metrics.md.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { findBinary, nameUnlessMissing } from "./binaries";
import { REPO_ROOT, contractMetricNames, metricNames, promqlSyntaxErrors } from "./promql";
import {
  type Rule,
  type RuleTestFile,
  RULES_DIR,
  loadRuleTests,
  loadRules,
  ruleFilePaths,
  ruleTestFilePaths,
} from "./rule-files";

const promtool = findBinary("promtool");
const itWithPromtool = promtool ? it : it.skip;
const rules = loadRules();
const alerts = rules.filter((r) => r.alert);
const recordings = rules.filter((r) => r.record);
const ruleTests = loadRuleTests();

function runPromtool(args: string[]): { status: number | null; output: string } {
  const result = spawnSync(promtool as string, args, { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("promtool", () => {
  itWithPromtool(nameUnlessMissing("check rules passes on every rule file", promtool, "promtool"), () => {
    const { status, output } = runPromtool(["check", "rules", ...ruleFilePaths()]);
    expect({ status, output }).toEqual({ status: 0, output: expect.not.stringMatching(/FAILED/) });
  });

  itWithPromtool(nameUnlessMissing("test rules passes on every test file", promtool, "promtool"), () => {
    const { status, output } = runPromtool(["test", "rules", ...ruleTestFilePaths()]);
    // The whole output on failure: promtool says which test and what it got.
    expect({ status, output }).toEqual({ status: 0, output: expect.not.stringMatching(/FAILED/) });
  });

  itWithPromtool(
    nameUnlessMissing(
      "the rule files merged into one file still load (no group name twice)",
      promtool,
      "promtool",
    ),
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-rules-"));
      try {
        const merged = path.join(dir, "merged.yml");
        fs.writeFileSync(merged, stringifyYaml({ groups: mergedGroups() }));
        const { status, output } = runPromtool(["check", "rules", merged]);
        expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining("SUCCESS") });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  itWithPromtool(
    nameUnlessMissing("check config accepts prometheus.yml with its rule files", promtool, "promtool"),
    () => {
      const { status, output } = runPromtool(["check", "config", path.join("prometheus", "prometheus.yml")]);
      expect(output).toMatch(new RegExp(`${ruleFilePaths().length} rule files found`));
      expect(status).toBe(0);
    },
  );
});

/** Every group of every rule file, in one list (as one merged rule file would hold them). */
function mergedGroups(): unknown[] {
  return ruleFilePaths().flatMap(
    (file) => (parseYaml(fs.readFileSync(file, "utf8")) as { groups: unknown[] }).groups,
  );
}

/** Alert names with a test that expects them to fire, and with one that expects silence. */
function alertTestCoverage(files: RuleTestFile[]): { firing: Set<string>; silent: Set<string> } {
  const firing = new Set<string>();
  const silent = new Set<string>();
  for (const file of files) {
    for (const group of file.tests) {
      for (const test of group.alert_rule_test ?? []) {
        (test.exp_alerts && test.exp_alerts.length > 0 ? firing : silent).add(test.alertname);
      }
    }
  }
  return { firing, silent };
}

describe("rule unit tests cover every rule", () => {
  const coverage = alertTestCoverage(ruleTests);

  it("finds the alerts and recording rules", () => {
    expect(alerts.length).toBeGreaterThanOrEqual(12);
    expect(recordings.map((r) => r.record)).toEqual(
      expect.arrayContaining([
        "instance_model:quotacast_cost_usd:increase1d",
        "instance_window:quotacast_window_utilization_ratio:max",
      ]),
    );
  });

  it.each(alerts.map((a) => [a.alert as string]))("%s has a firing and a silent test", (name) => {
    expect({ name, firing: coverage.firing.has(name) }).toEqual({ name, firing: true });
    expect({ name, silent: coverage.silent.has(name) }).toEqual({ name, silent: true });
  });

  it("the coverage check notices a missing silent case", () => {
    const onlyFiring: RuleTestFile = {
      file: "x",
      rule_files: [],
      tests: [{ alert_rule_test: [{ alertname: "A", eval_time: "1m", exp_alerts: [{}] }] }],
    };
    const result = alertTestCoverage([onlyFiring]);
    expect(result.firing.has("A")).toBe(true);
    expect(result.silent.has("A")).toBe(false);
  });

  it("every recording rule has an expression test", () => {
    const tested = new Set(
      ruleTests.flatMap((f) => f.tests.flatMap((t) => (t.promql_expr_test ?? []).map((e) => e.expr))),
    );
    expect(recordings.map((r) => r.record).filter((name) => !tested.has(name as string))).toEqual([]);
  });

  it("test files name only alerts that exist and load every rule file they need", () => {
    const names = new Set(alerts.map((a) => a.alert));
    const unknown = [...coverage.firing, ...coverage.silent].filter((name) => !names.has(name));
    expect(unknown).toEqual([]);
    for (const file of ruleTests) {
      for (const ruleFile of file.rule_files) {
        expect(fs.existsSync(path.resolve(path.dirname(file.file), ruleFile))).toBe(true);
      }
    }
  });
});

describe("alert definitions", () => {
  const monitoringDoc = fs.readFileSync(path.join(REPO_ROOT, "docs", "monitoring.md"), "utf8");
  const headingAnchors = new Set(
    [...monitoringDoc.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
      m[1]
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9 _-]/g, "")
        .replace(/ /g, "-"),
    ),
  );

  it.each(alerts.map((a) => [a.alert as string, a]))(
    "%s has severity, summary, description, runbook",
    (_name, rule) => {
      const alert = rule as Rule;
      expect(["info", "warning", "critical"]).toContain(alert.labels.severity);
      expect(alert.annotations.summary).toEqual(expect.any(String));
      expect(alert.annotations.description).toEqual(expect.any(String));
      const runbook = alert.annotations.runbook_url;
      expect(runbook).toMatch(
        /^https:\/\/github\.com\/quotacast\/quotacast\/blob\/main\/docs\/monitoring\.md#[a-z0-9-]+$/,
      );
      const anchor = runbook.split("#")[1];
      expect({ anchor, inDocs: headingAnchors.has(anchor) }).toEqual({ anchor, inDocs: true });
    },
  );

  it("describes the exhaustion probability in the forecast alert", () => {
    const exhaustion = alerts.find((a) => a.alert === "QuotacastWindowExhaustionLikely") as Rule;
    expect(exhaustion.expr).toContain("quotacast_window_exhaustion_probability_ratio");
    expect(exhaustion.annotations.description).toContain("probability");
    expect(exhaustion.annotations.description).toContain("$value | humanizePercentage");
  });
});

describe("rule expressions", () => {
  const contract = contractMetricNames();
  const recorded = new Set(recordings.map((r) => r.record));

  it.each(rules.map((r) => [r.alert ?? r.record, r.expr]))("%s parses as PromQL", (_name, expr) => {
    expect(promqlSyntaxErrors(expr as string)).toEqual([]);
  });

  it("the parser check rejects a broken expression", () => {
    expect(promqlSyntaxErrors("sum(rate(quotacast_cost_usd_total[5m])")).not.toEqual([]);
  });

  it("reads only metrics of docs/metrics.md, recording rules and up", () => {
    expect(contract.size).toBeGreaterThan(30);
    const unknown = rules.flatMap((r) =>
      metricNames(r.expr).filter((name) => name !== "up" && !contract.has(name) && !recorded.has(name)),
    );
    expect(unknown).toEqual([]);
  });

  it("no group name is used twice across the rule files", () => {
    const names = mergedGroups().map((g) => (g as { name: string }).name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  // The budgets are constants an operator edits (`vector(50)`), not computed from a metric.
  const computed = recordings.filter((r) => path.basename(r.file) !== "quotacast-budgets.yml");

  it("recording rules computed from metrics are named level:metric:operation", () => {
    expect(computed.length).toBeGreaterThanOrEqual(4);
    for (const rule of computed) {
      expect(rule.record).toMatch(/^[a-z][a-z_]*:quotacast_[a-z0-9_]+:[a-z0-9_]+$/);
    }
  });

  it("the level of each recording rule names the labels its result keeps (besides job)", () => {
    const expected = new Map<string, string[]>();
    for (const file of ruleTests) {
      for (const group of file.tests) {
        for (const test of group.promql_expr_test ?? []) {
          for (const sample of (test.exp_samples ?? []) as Array<{ labels: string }>) {
            const names = [...sample.labels.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)].map((m) => m[1]);
            expected.set(test.expr, names.filter((n) => n !== "job").sort());
          }
        }
      }
    }
    for (const rule of computed) {
      const name = rule.record as string;
      const level = name.split(":")[0].split("_").sort();
      expect({ name, labels: expected.get(name) }).toEqual({ name, labels: level });
    }
  });
});

describe("prometheus.yml", () => {
  const config = parseYaml(fs.readFileSync(path.join(REPO_ROOT, "prometheus", "prometheus.yml"), "utf8")) as {
    rule_files: string[];
    scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
  };
  const text = fs.readFileSync(path.join(REPO_ROOT, "prometheus", "prometheus.yml"), "utf8");

  it("scrapes the exporter on the host as job quotacast, with the bare-metal target in a comment", () => {
    const job = config.scrape_configs.find((j) => j.job_name === "quotacast");
    expect(job?.static_configs[0].targets).toEqual(["host.docker.internal:9847"]);
    expect(text).toMatch(/#.*127\.0\.0\.1:9847/);
  });

  it("loads every rule file", () => {
    expect(config.rule_files).toEqual(["rules/*.yml"]);
    expect(ruleFilePaths().every((file) => path.dirname(file) === RULES_DIR)).toBe(true);
  });

  it("the exporter alerts use the job name of the scrape config", () => {
    const exporterAlerts = alerts.filter((a) => /\bup\b/.test(a.expr));
    expect(exporterAlerts.length).toBeGreaterThanOrEqual(2);
    for (const alert of exporterAlerts) expect(alert.expr).toContain('job="quotacast"');
  });
});

/** Loads prometheus/rules/*.yml and prometheus/tests/*.test.yml as typed data for the tests. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { REPO_ROOT } from "./promql";

export const RULES_DIR = path.join(REPO_ROOT, "prometheus", "rules");
const RULE_TESTS_DIR = path.join(REPO_ROOT, "prometheus", "tests");

export interface Rule {
  file: string;
  group: string;
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

interface RuleFile {
  groups: Array<{ name: string; rules: Array<Omit<Rule, "file" | "group">> }>;
}

export interface RuleTestFile {
  file: string;
  rule_files: string[];
  tests: Array<{
    alert_rule_test?: Array<{ alertname: string; eval_time: string; exp_alerts?: unknown[] }>;
    promql_expr_test?: Array<{ expr: string; eval_time: string; exp_samples?: unknown[] }>;
  }>;
}

export function ruleFilePaths(): string[] {
  return listYaml(RULES_DIR, ".yml");
}

export function ruleTestFilePaths(): string[] {
  return listYaml(RULE_TESTS_DIR, ".test.yml");
}

export function loadRules(): Rule[] {
  return ruleFilePaths().flatMap((file) => {
    const parsed = parseYaml(fs.readFileSync(file, "utf8")) as RuleFile;
    return parsed.groups.flatMap((group) =>
      group.rules.map((rule) => ({
        file,
        group: group.name,
        ...rule,
        labels: rule.labels ?? {},
        annotations: rule.annotations ?? {},
      })),
    );
  });
}

export function loadRuleTests(): RuleTestFile[] {
  return ruleTestFilePaths().map(
    (file) => ({ file, ...(parseYaml(fs.readFileSync(file, "utf8")) as object) }) as RuleTestFile,
  );
}

function listYaml(dir: string, suffix: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => path.join(dir, name));
}

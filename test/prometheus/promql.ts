/**
 * PromQL helpers shared by the dashboard, rule and end-to-end tests: syntax checking with
 * Prometheus's own lezer grammar, and the metric names an expression reads.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The part of lezer's syntax tree the checks use. */
interface SyntaxTree {
  iterate(spec: { enter(node: { type: { isError: boolean }; from: number; to: number }): void }): void;
}

// The package ships a CommonJS build (what jest loads) but ESM-only type declarations, which
// a CommonJS module cannot import: require it with the little of its type that is used.
const { parser } = require("@prometheus-io/lezer-promql") as { parser: { parse(input: string): SyntaxTree } };

export const REPO_ROOT = path.join(__dirname, "..", "..");

/** Syntax errors of `expr` as "offset N near '...'" strings; empty when it parses cleanly. */
export function promqlSyntaxErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) {
        errors.push(`offset ${node.from} near '${expr.slice(Math.max(0, node.from - 10), node.to + 10)}'`);
      }
    },
  });
  return errors;
}

/**
 * Metric names that an expression selects: `quotacast_*`, `up`, and recording rules
 * (`quotacast:*`, `level:quotacast_*:operation`).
 */
export function metricNames(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const names =
    withoutStrings.match(/(?<![\w:])(?:[a-z][a-z0-9_]*:)?(?:quotacast[_:][a-zA-Z0-9_:]*|up\b)/g) ?? [];
  return [...new Set(names)];
}

/** The metric names of docs/metrics.md's table: the contract every expression must keep to. */
export function contractMetricNames(): Set<string> {
  const text = fs.readFileSync(path.join(REPO_ROOT, "docs", "metrics.md"), "utf8");
  return new Set([...text.matchAll(/^\| `(quotacast_[a-z0-9_]+)` \|/gm)].map((m) => m[1]));
}

// Generated from core/src/schema.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * Reading external input (API answers, files, Claude Code's stdin) with valibot schemas, which
 * also give its types (`v.InferOutput`). Only the modules that read such input load valibot:
 * core's index and the report commands never do (test/exporter/report/loaded-modules.test.ts).
 *
 * Messages name where the input came from and the field (`sessions[1].snapshots[4].t`), never
 * the value received: it may be a token or a password.
 */
import * as v from "valibot";

/** A finite number (JSON has no NaN, but a number may still be Infinity after a transform). */
export const finiteNumber = v.pipe(v.number(), v.finite());

/** A finite number, or a numeric string as headers carry them (`"0.42"`). */
export const numeric = v.pipe(
  v.union([finiteNumber, v.pipe(v.string(), v.trim(), v.nonEmpty(), v.toNumber())]),
  v.finite(),
);

/** A JSON object (valibot's object schemas also take an array, as `typeof` does). */
export const anObject = v.custom<Record<string, unknown>>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  "expected an object",
);

/**
 * `schema`'s value, or null for anything else (absent, null, another type): a drifting
 * field of an answer never fails the whole answer.
 */
export function orNull<S extends v.GenericSchema>(schema: S) {
  return v.fallback(v.nullable(schema), null);
}

export const stringOrNull = orNull(v.string());

/** The items of an array that match `item`; the others are left out. Not an array: an issue. */
export function validItems<S extends v.GenericSchema>(item: S) {
  return v.pipe(
    v.array(v.unknown()),
    v.transform((values) =>
      values.flatMap((value) => {
        const parsed = v.safeParse(item, value);
        return parsed.success ? [parsed.output] : [];
      }),
    ),
  );
}

/** The entries of an object whose values match `value`; the others are left out. */
export function validEntries<S extends v.GenericSchema>(value: S) {
  return v.pipe(
    v.record(v.string(), v.unknown()),
    v.transform((entries) => {
      const valid: Record<string, v.InferOutput<S>> = {};
      for (const [key, raw] of Object.entries(entries)) {
        const parsed = v.safeParse(value, raw);
        if (parsed.success) valid[key] = parsed.output;
      }
      return valid;
    }),
  );
}

/** An object whose fields all have fallbacks: anything that is not an object reads as `{}`. */
export function objectOrEmpty<E extends v.ObjectEntries>(entries: E) {
  const schema = v.object(entries);
  return v.fallback(schema, () => v.parse(schema, {}));
}

/** `sessions[1].snapshots[4].t`; empty for the input itself. */
function issuePath(issue: v.BaseIssue<unknown>): string {
  let out = "";
  for (const item of issue.path ?? []) {
    if (typeof item.key === "number") out += `[${item.key}]`;
    else out += out === "" ? String(item.key) : `.${String(item.key)}`;
  }
  return out;
}

/** What a schema says when it was given no message of its own: never the value received. */
function defaultMessage(issue: v.BaseIssue<unknown>): string {
  if (issue.input === undefined) return "missing";
  return `expected ${issue.expected ?? issue.type}`;
}

/** `where: path: message` for an issue. */
export function describeIssue(where: string, issue: v.BaseIssue<unknown>): string {
  const at = issuePath(issue);
  return at === "" ? `${where}: ${issue.message}` : `${where}: ${at}: ${issue.message}`;
}

export type Parsed<T> =
  | { ok: true; value: T }
  /** `issue` is null when the text was not JSON at all. */
  | { ok: false; message: string; issue: v.BaseIssue<unknown> | null };

/** A value through `schema`: its output, or the first issue described (see `describeIssue`). */
export function parseWith<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  where: string,
): Parsed<v.InferOutput<S>> {
  const result = v.safeParse(schema, value, { abortEarly: true, message: defaultMessage });
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  return { ok: false, message: describeIssue(where, issue), issue };
}

/** JSON text through `schema`; text that is not JSON is said so (JSON.parse's message can quote the text). */
export function parseJsonWith<S extends v.GenericSchema>(
  schema: S,
  text: string,
  where: string,
): Parsed<v.InferOutput<S>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: `${where} is not valid JSON`, issue: null };
  }
  return parseWith(schema, json, where);
}

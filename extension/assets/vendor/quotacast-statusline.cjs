"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __esm = (fn, res) => function __init() {
  return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// exporter/src/statusline/wrap.ts
var wrap_exports = {};
__export(wrap_exports, {
  runWrappedCommand: () => runWrappedCommand
});
function runWrappedCommand(command, stdin, timeoutMs = WRAPPED_TIMEOUT_MS) {
  return new Promise((resolve2) => {
    let output = "";
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve2(output.replace(/\s+$/, ""));
    };
    let child;
    try {
      child = (0, import_node_child_process.spawn)(command, {
        shell: true,
        stdio: ["pipe", "pipe", "ignore"],
        windowsHide: true,
        detached: process.platform !== "win32"
      });
    } catch {
      resolve2("");
      return;
    }
    const timer = setTimeout(() => {
      stopAll(child);
      finish();
    }, timeoutMs);
    child.stdout?.on("data", (chunk) => {
      if (output.length < MAX_OUTPUT_BYTES) output += chunk.toString("utf8");
    });
    child.on("error", finish);
    child.on("close", finish);
    child.stdin?.on("error", () => void 0);
    child.stdin?.end(stdin);
  });
}
function stopAll(child) {
  try {
    if (child.pid !== void 0 && process.platform !== "win32") process.kill(-child.pid, "SIGKILL");
    else child.kill("SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
  child.stdout?.destroy();
  child.stdin?.destroy();
  child.unref();
}
var import_node_child_process, WRAPPED_TIMEOUT_MS, MAX_OUTPUT_BYTES;
var init_wrap = __esm({
  "exporter/src/statusline/wrap.ts"() {
    "use strict";
    import_node_child_process = require("node:child_process");
    WRAPPED_TIMEOUT_MS = 1e3;
    MAX_OUTPUT_BYTES = 64 * 1024;
  }
});

// core/src/statusline/paths.ts
var os = __toESM(require("node:os"));
var path = __toESM(require("node:path"));
function expandHome(entry, home) {
  if (entry === "~") return home;
  if (entry.startsWith("~/") || entry.startsWith("~\\")) return path.join(home, entry.slice(2));
  return entry;
}
function homeDir(env) {
  return env.HOME && env.HOME !== "" ? env.HOME : os.homedir();
}
function feedFilePath(env) {
  const fromEnv = env.QUOTACAST_STATUSLINE_FILE?.trim();
  if (fromEnv) return path.resolve(expandHome(fromEnv, homeDir(env)));
  const xdg = env.XDG_DATA_HOME?.trim() ?? "";
  const dataDir = xdg !== "" && path.isAbsolute(xdg) ? xdg : path.join(homeDir(env), ".local", "share");
  return path.join(dataDir, "quotacast", "statusline.json");
}

// exporter/src/statusline/feed.ts
var fs3 = __toESM(require("node:fs"));
var path4 = __toESM(require("node:path"));

// node_modules/valibot/dist/index.mjs
var store$4;
var DEFAULT_CONFIG = {
  lang: void 0,
  message: void 0,
  abortEarly: void 0,
  abortPipeEarly: void 0
};
// @__NO_SIDE_EFFECTS__
function getGlobalConfig(config$1) {
  if (!config$1 && !store$4) return DEFAULT_CONFIG;
  return {
    lang: config$1?.lang ?? store$4?.lang,
    message: config$1?.message,
    abortEarly: config$1?.abortEarly ?? store$4?.abortEarly,
    abortPipeEarly: config$1?.abortPipeEarly ?? store$4?.abortPipeEarly
  };
}
var store$3;
// @__NO_SIDE_EFFECTS__
function getGlobalMessage(lang) {
  return store$3?.get(lang);
}
var store$2;
// @__NO_SIDE_EFFECTS__
function getSchemaMessage(lang) {
  return store$2?.get(lang);
}
var store$1;
// @__NO_SIDE_EFFECTS__
function getSpecificMessage(reference, lang) {
  return store$1?.get(reference)?.get(lang);
}
// @__NO_SIDE_EFFECTS__
function _stringify(input) {
  const type = typeof input;
  if (type === "string") return `"${input}"`;
  if (type === "number" || type === "bigint" || type === "boolean") return `${input}`;
  if (type === "object" || type === "function") return (input && Object.getPrototypeOf(input)?.constructor?.name) ?? "null";
  return type;
}
function _addIssue(context, label, dataset, config$1, other) {
  const input = other && "input" in other ? other.input : dataset.value;
  const expected = other?.expected ?? context.expects ?? null;
  const received = other?.received ?? /* @__PURE__ */ _stringify(input);
  const issue = {
    kind: context.kind,
    type: context.type,
    input,
    expected,
    received,
    message: `Invalid ${label}: ${expected ? `Expected ${expected} but r` : "R"}eceived ${received}`,
    requirement: context.requirement,
    path: other?.path,
    issues: other?.issues,
    lang: config$1.lang,
    abortEarly: config$1.abortEarly,
    abortPipeEarly: config$1.abortPipeEarly
  };
  const isSchema = context.kind === "schema";
  const message$1 = other?.message ?? context.message ?? /* @__PURE__ */ getSpecificMessage(context.reference, issue.lang) ?? (isSchema ? /* @__PURE__ */ getSchemaMessage(issue.lang) : null) ?? config$1.message ?? /* @__PURE__ */ getGlobalMessage(issue.lang);
  if (message$1 !== void 0) issue.message = typeof message$1 === "function" ? message$1(issue) : message$1;
  if (isSchema) dataset.typed = false;
  if (dataset.issues) dataset.issues.push(issue);
  else dataset.issues = [issue];
}
// @__NO_SIDE_EFFECTS__
function _isSameValueZero(value1, value2) {
  return value1 === value2 || Number.isNaN(value1) && Number.isNaN(value2);
}
// @__NO_SIDE_EFFECTS__
function _isValidObjectKey(object$1, key) {
  return Object.prototype.hasOwnProperty.call(object$1, key) && key !== "__proto__" && key !== "prototype" && key !== "constructor";
}
// @__NO_SIDE_EFFECTS__
function _joinExpects(values$1, separator) {
  const list = [...new Set(values$1)];
  if (list.length > 1) return `(${list.join(` ${separator} `)})`;
  return list[0] ?? "never";
}
function _standardSchema(schema) {
  schema["~standard"] = {
    version: 1,
    vendor: "valibot",
    validate: (value$1) => schema["~run"]({ value: value$1 }, /* @__PURE__ */ getGlobalConfig())
  };
  return schema;
}
var EMOJI_REGEX = new RegExp("^(?:[\\u{1F1E6}-\\u{1F1FF}]{2}|\\u{1F3F4}[\\u{E0061}-\\u{E007A}]{2}[\\u{E0030}-\\u{E0039}\\u{E0061}-\\u{E007A}]{1,3}\\u{E007F}|(?:\\p{Emoji}\\uFE0F\\u20E3?|\\p{Emoji_Modifier_Base}\\p{Emoji_Modifier}?|(?![\\p{Emoji_Modifier_Base}\\u{1F1E6}-\\u{1F1FF}])\\p{Emoji_Presentation})(?:\\u200D(?:\\p{Emoji}\\uFE0F\\u20E3?|\\p{Emoji_Modifier_Base}\\p{Emoji_Modifier}?|(?![\\p{Emoji_Modifier_Base}\\u{1F1E6}-\\u{1F1FF}])\\p{Emoji_Presentation}))*)+$", "u");
// @__NO_SIDE_EFFECTS__
function check(requirement, message$1) {
  return {
    kind: "validation",
    type: "check",
    reference: check,
    async: false,
    expects: null,
    requirement,
    message: message$1,
    "~run"(dataset, config$1) {
      if (dataset.typed && !this.requirement(dataset.value)) _addIssue(this, "input", dataset, config$1);
      return dataset;
    }
  };
}
// @__NO_SIDE_EFFECTS__
function finite(message$1) {
  return {
    kind: "validation",
    type: "finite",
    reference: finite,
    async: false,
    expects: null,
    requirement: Number.isFinite,
    message: message$1,
    "~run"(dataset, config$1) {
      if (dataset.typed && !this.requirement(dataset.value)) _addIssue(this, "finite", dataset, config$1);
      return dataset;
    }
  };
}
// @__NO_SIDE_EFFECTS__
function nonEmpty(message$1) {
  return {
    kind: "validation",
    type: "non_empty",
    reference: nonEmpty,
    async: false,
    expects: "!0",
    message: message$1,
    "~run"(dataset, config$1) {
      if (dataset.typed && dataset.value.length === 0) _addIssue(this, "length", dataset, config$1, { received: "0" });
      return dataset;
    }
  };
}
// @__NO_SIDE_EFFECTS__
function toNumber(message$1) {
  return {
    kind: "transformation",
    type: "to_number",
    reference: toNumber,
    async: false,
    message: message$1,
    "~run"(dataset, config$1) {
      try {
        dataset.value = Number(dataset.value);
        if (isNaN(dataset.value)) {
          _addIssue(this, "number", dataset, config$1);
          dataset.typed = false;
        }
      } catch {
        _addIssue(this, "number", dataset, config$1);
        dataset.typed = false;
      }
      return dataset;
    }
  };
}
// @__NO_SIDE_EFFECTS__
function transform(operation) {
  return {
    kind: "transformation",
    type: "transform",
    reference: transform,
    async: false,
    operation,
    "~run"(dataset) {
      dataset.value = this.operation(dataset.value);
      return dataset;
    }
  };
}
// @__NO_SIDE_EFFECTS__
function trim() {
  return {
    kind: "transformation",
    type: "trim",
    reference: trim,
    async: false,
    "~run"(dataset) {
      dataset.value = dataset.value.trim();
      return dataset;
    }
  };
}
// @__NO_SIDE_EFFECTS__
function getFallback(schema, dataset, config$1) {
  return typeof schema.fallback === "function" ? schema.fallback(dataset, config$1) : schema.fallback;
}
// @__NO_SIDE_EFFECTS__
function fallback(schema, fallback$1) {
  return _standardSchema({
    ...schema,
    fallback: fallback$1,
    "~run"(dataset, config$1) {
      const outputDataset = schema["~run"](dataset, config$1);
      return outputDataset.issues ? {
        typed: true,
        value: /* @__PURE__ */ getFallback(this, outputDataset, config$1)
      } : outputDataset;
    }
  });
}
// @__NO_SIDE_EFFECTS__
function getDefault(schema, dataset, config$1) {
  return typeof schema.default === "function" ? schema.default(dataset, config$1) : schema.default;
}
// @__NO_SIDE_EFFECTS__
function custom(check$1, message$1) {
  return _standardSchema({
    kind: "schema",
    type: "custom",
    reference: custom,
    expects: "unknown",
    async: false,
    check: check$1,
    message: message$1,
    "~run"(dataset, config$1) {
      if (this.check(dataset.value)) dataset.typed = true;
      else _addIssue(this, "type", dataset, config$1);
      return dataset;
    }
  });
}
// @__NO_SIDE_EFFECTS__
function literal(literal_, message$1) {
  return _standardSchema({
    kind: "schema",
    type: "literal",
    reference: literal,
    expects: /* @__PURE__ */ _stringify(literal_),
    async: false,
    literal: literal_,
    message: message$1,
    "~run"(dataset, config$1) {
      if (/* @__PURE__ */ _isSameValueZero(dataset.value, this.literal)) dataset.typed = true;
      else _addIssue(this, "type", dataset, config$1);
      return dataset;
    }
  });
}
// @__NO_SIDE_EFFECTS__
function nullable(wrapped, default_) {
  return _standardSchema({
    kind: "schema",
    type: "nullable",
    reference: nullable,
    expects: `(${wrapped.expects} | null)`,
    async: false,
    wrapped,
    default: default_,
    "~run"(dataset, config$1) {
      if (dataset.value === null) {
        if (this.default !== void 0) dataset.value = /* @__PURE__ */ getDefault(this, dataset, config$1);
        if (dataset.value === null) {
          dataset.typed = true;
          return dataset;
        }
      }
      return this.wrapped["~run"](dataset, config$1);
    }
  });
}
// @__NO_SIDE_EFFECTS__
function number(message$1) {
  return _standardSchema({
    kind: "schema",
    type: "number",
    reference: number,
    expects: "number",
    async: false,
    message: message$1,
    "~run"(dataset, config$1) {
      if (typeof dataset.value === "number" && !isNaN(dataset.value)) dataset.typed = true;
      else _addIssue(this, "type", dataset, config$1);
      return dataset;
    }
  });
}
// @__NO_SIDE_EFFECTS__
function object(entries$1, message$1) {
  return _standardSchema({
    kind: "schema",
    type: "object",
    reference: object,
    expects: "Object",
    async: false,
    entries: entries$1,
    message: message$1,
    "~run"(dataset, config$1) {
      const input = dataset.value;
      if (input && typeof input === "object") {
        dataset.typed = true;
        dataset.value = {};
        for (const key in this.entries) {
          const valueSchema = this.entries[key];
          if (key in input || (valueSchema.type === "exact_optional" || valueSchema.type === "optional" || valueSchema.type === "nullish") && valueSchema.default !== void 0) {
            const value$1 = key in input ? input[key] : /* @__PURE__ */ getDefault(valueSchema);
            const valueDataset = valueSchema["~run"]({ value: value$1 }, config$1);
            if (valueDataset.issues) {
              const pathItem = {
                type: "object",
                origin: "value",
                input,
                key,
                value: value$1
              };
              for (const issue of valueDataset.issues) {
                if (issue.path) issue.path.unshift(pathItem);
                else issue.path = [pathItem];
                dataset.issues?.push(issue);
              }
              if (!dataset.issues) dataset.issues = valueDataset.issues;
              if (config$1.abortEarly) {
                dataset.typed = false;
                break;
              }
            }
            if (!valueDataset.typed) dataset.typed = false;
            dataset.value[key] = valueDataset.value;
          } else if (valueSchema.fallback !== void 0) dataset.value[key] = /* @__PURE__ */ getFallback(valueSchema);
          else if (valueSchema.type !== "exact_optional" && valueSchema.type !== "optional" && valueSchema.type !== "nullish") {
            _addIssue(this, "key", dataset, config$1, {
              input: void 0,
              expected: `"${key}"`,
              path: [{
                type: "object",
                origin: "key",
                input,
                key,
                value: input[key]
              }]
            });
            if (config$1.abortEarly) break;
          }
        }
      } else _addIssue(this, "type", dataset, config$1);
      return dataset;
    }
  });
}
// @__NO_SIDE_EFFECTS__
function record(key, value$1, message$1) {
  return _standardSchema({
    kind: "schema",
    type: "record",
    reference: record,
    expects: "Object",
    async: false,
    key,
    value: value$1,
    message: message$1,
    "~run"(dataset, config$1) {
      const input = dataset.value;
      if (input && typeof input === "object") {
        dataset.typed = true;
        dataset.value = {};
        for (const entryKey in input) if (/* @__PURE__ */ _isValidObjectKey(input, entryKey)) {
          const entryValue = input[entryKey];
          const keyDataset = this.key["~run"]({ value: entryKey }, config$1);
          if (keyDataset.issues) {
            const pathItem = {
              type: "object",
              origin: "key",
              input,
              key: entryKey,
              value: entryValue
            };
            for (const issue of keyDataset.issues) {
              issue.path = [pathItem];
              dataset.issues?.push(issue);
            }
            if (!dataset.issues) dataset.issues = keyDataset.issues;
            if (config$1.abortEarly) {
              dataset.typed = false;
              break;
            }
          }
          const valueDataset = this.value["~run"]({ value: entryValue }, config$1);
          if (valueDataset.issues) {
            const pathItem = {
              type: "object",
              origin: "value",
              input,
              key: entryKey,
              value: entryValue
            };
            for (const issue of valueDataset.issues) {
              if (issue.path) issue.path.unshift(pathItem);
              else issue.path = [pathItem];
              dataset.issues?.push(issue);
            }
            if (!dataset.issues) dataset.issues = valueDataset.issues;
            if (config$1.abortEarly) {
              dataset.typed = false;
              break;
            }
          }
          if (!keyDataset.typed || !valueDataset.typed) dataset.typed = false;
          if (keyDataset.typed) dataset.value[keyDataset.value] = valueDataset.value;
        }
      } else _addIssue(this, "type", dataset, config$1);
      return dataset;
    }
  });
}
// @__NO_SIDE_EFFECTS__
function string(message$1) {
  return _standardSchema({
    kind: "schema",
    type: "string",
    reference: string,
    expects: "string",
    async: false,
    message: message$1,
    "~run"(dataset, config$1) {
      if (typeof dataset.value === "string") dataset.typed = true;
      else _addIssue(this, "type", dataset, config$1);
      return dataset;
    }
  });
}
// @__NO_SIDE_EFFECTS__
function _subIssues(datasets) {
  let issues;
  if (datasets) for (const dataset of datasets) if (issues) for (const issue of dataset.issues) issues.push(issue);
  else issues = dataset.issues;
  return issues;
}
// @__NO_SIDE_EFFECTS__
function union(options, message$1) {
  return _standardSchema({
    kind: "schema",
    type: "union",
    reference: union,
    expects: /* @__PURE__ */ _joinExpects(options.map((option) => option.expects), "|"),
    async: false,
    options,
    message: message$1,
    "~run"(dataset, config$1) {
      let validDataset;
      let typedDatasets;
      let untypedDatasets;
      for (const schema of this.options) {
        const optionDataset = schema["~run"]({ value: dataset.value }, config$1);
        if (optionDataset.typed) if (optionDataset.issues) if (typedDatasets) typedDatasets.push(optionDataset);
        else typedDatasets = [optionDataset];
        else {
          validDataset = optionDataset;
          break;
        }
        else if (untypedDatasets) untypedDatasets.push(optionDataset);
        else untypedDatasets = [optionDataset];
      }
      if (validDataset) return validDataset;
      if (typedDatasets) {
        if (typedDatasets.length === 1) return typedDatasets[0];
        _addIssue(this, "type", dataset, config$1, { issues: /* @__PURE__ */ _subIssues(typedDatasets) });
        dataset.typed = true;
      } else if (untypedDatasets?.length === 1) return untypedDatasets[0];
      else _addIssue(this, "type", dataset, config$1, { issues: /* @__PURE__ */ _subIssues(untypedDatasets) });
      return dataset;
    }
  });
}
// @__NO_SIDE_EFFECTS__
function unknown() {
  return _standardSchema({
    kind: "schema",
    type: "unknown",
    reference: unknown,
    expects: "unknown",
    async: false,
    "~run"(dataset) {
      dataset.typed = true;
      return dataset;
    }
  });
}
// @__NO_SIDE_EFFECTS__
function pipe(...pipe$1) {
  return _standardSchema({
    ...pipe$1[0],
    pipe: pipe$1,
    "~run"(dataset, config$1) {
      for (const item of pipe$1) if (item.kind !== "metadata") {
        if (dataset.issues && (item.kind === "schema" || item.kind === "transformation")) {
          dataset.typed = false;
          break;
        }
        if (!dataset.issues || !config$1.abortEarly && !config$1.abortPipeEarly) dataset = item["~run"](dataset, config$1);
      }
      return dataset;
    }
  });
}
// @__NO_SIDE_EFFECTS__
function safeParse(schema, input, config$1) {
  const dataset = schema["~run"]({ value: input }, /* @__PURE__ */ getGlobalConfig(config$1));
  return {
    typed: dataset.typed,
    success: !dataset.issues,
    output: dataset.value,
    issues: dataset.issues
  };
}

// core/src/limits/snapshot.ts
var FIVE_HOURS_MS = 5 * 36e5;
var SEVEN_DAYS_MS = 7 * 24 * 36e5;

// core/src/schema.ts
var finiteNumber = pipe(number(), finite());
var numeric = pipe(
  union([finiteNumber, pipe(string(), trim(), nonEmpty(), toNumber())]),
  finite()
);
var anObject = custom(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  "expected an object"
);
function orNull(schema) {
  return fallback(nullable(schema), null);
}
var stringOrNull = orNull(string());
function validEntries(value) {
  return pipe(
    record(string(), unknown()),
    transform((entries) => {
      const valid = {};
      for (const [key, raw] of Object.entries(entries)) {
        const parsed = safeParse(value, raw);
        if (parsed.success) valid[key] = parsed.output;
      }
      return valid;
    })
  );
}
function issuePath(issue) {
  let out = "";
  for (const item of issue.path ?? []) {
    if (typeof item.key === "number") out += `[${item.key}]`;
    else out += out === "" ? String(item.key) : `.${String(item.key)}`;
  }
  return out;
}
function defaultMessage(issue) {
  if (issue.input === void 0) return "missing";
  return `expected ${issue.expected ?? issue.type}`;
}
function describeIssue(where, issue) {
  const at = issuePath(issue);
  return at === "" ? `${where}: ${issue.message}` : `${where}: ${at}: ${issue.message}`;
}
function parseWith(schema, value, where) {
  const result = safeParse(schema, value, { abortEarly: true, message: defaultMessage });
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  return { ok: false, message: describeIssue(where, issue), issue };
}
function parseJsonWith(schema, text, where) {
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: `${where} is not valid JSON`, issue: null };
  }
  return parseWith(schema, json, where);
}

// core/src/limits/units.ts
function percentToRatio(percent) {
  return percent / 100;
}
var percentAsRatio = pipe(numeric, transform(percentToRatio));
function unixSecondsToMs(seconds) {
  return Math.round(seconds * 1e3);
}
var unixSecondsAsMs = pipe(numeric, transform(unixSecondsToMs));
var isoAsMs = pipe(
  string(),
  transform((iso) => Date.parse(iso.replace(/(\.\d{3})\d+/, "$1"))),
  finite()
);
function centsToUnits(cents) {
  return cents / 100;
}
var centsAsUnits = pipe(numeric, transform(centsToUnits));
var numberOrZero = fallback(numeric, 0);

// core/src/limits/statusline-feed.ts
var STATUSLINE_FEED_VERSION = 1;
var RawRateLimitWindowSchema = object({
  used_percentage: finiteNumber,
  resets_at: orNull(finiteNumber)
});
var StatuslineRateLimitsSchema = pipe(
  validEntries(RawRateLimitWindowSchema),
  check((windows) => Object.keys(windows).length > 0, "no window with a used_percentage")
);
var SessionCostSchema = object({
  /** Claude Code's cumulative `cost.total_cost_usd` for the session. */
  costUsd: finiteNumber,
  /** The session's cost when `day` began (sessions that span midnight). */
  baselineUsd: fallback(finiteNumber, 0),
  /** Local date `YYYY-MM-DD` of the last update. */
  day: string(),
  /** Absent in a hand-edited feed: the feed's own update time. */
  lastSeenMs: orNull(finiteNumber)
});
var StatuslineFeedSchema = pipe(
  object({
    version: literal(STATUSLINE_FEED_VERSION),
    updatedAtMs: finiteNumber,
    sessionId: stringOrNull,
    transcriptPath: stringOrNull,
    model: orNull(object({ id: stringOrNull, displayName: stringOrNull })),
    sessionCostUsd: orNull(finiteNumber),
    /** The most recent valid `rate_limits` (kept when an update lacks them). */
    rateLimits: orNull(StatuslineRateLimitsSchema),
    rateLimitsObservedAtMs: orNull(finiteNumber),
    /** Per-session costs; an entry without a cost or a day is left out. */
    sessions: fallback(validEntries(SessionCostSchema), {})
  }),
  transform((feed) => {
    const sessions = {};
    for (const [id, s] of Object.entries(feed.sessions))
      sessions[id] = { ...s, lastSeenMs: s.lastSeenMs ?? feed.updatedAtMs };
    return { ...feed, sessions };
  })
);
function parseStatuslineFeed(text, where = "statusline feed") {
  return parseJsonWith(StatuslineFeedSchema, text, where);
}

// core/src/statusline/atomic-write.ts
var fs2 = __toESM(require("node:fs"));
var path3 = __toESM(require("node:path"));

// core/src/statusline/private-files.ts
var fs = __toESM(require("node:fs"));
var path2 = __toESM(require("node:path"));
var PRIVATE_DIR_MODE = 448;
var PRIVATE_FILE_MODE = 384;
var DATA_DIR_NAME = "quotacast";
function ensurePrivateDir(dir) {
  const created = fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (created !== void 0 || path2.basename(dir) !== DATA_DIR_NAME) return;
  if (!tighten(dir, PRIVATE_DIR_MODE)) return;
  const files = fs.readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isFile());
  makeFilesPrivate(files.map((entry) => path2.join(dir, entry.name)));
}
function makeFilesPrivate(files) {
  for (const file of files) tighten(file, PRIVATE_FILE_MODE);
}
function tighten(file, mode) {
  let current;
  try {
    current = fs.statSync(file).mode & 511;
  } catch {
    return false;
  }
  if ((current & 63) === 0) return false;
  fs.chmodSync(file, current & mode);
  return true;
}

// core/src/statusline/atomic-write.ts
function writeFileAtomic(file, data, mode, owner) {
  const dir = path3.dirname(file);
  ensurePrivateDir(dir);
  const temp = path3.join(
    dir,
    `.${path3.basename(file)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`
  );
  try {
    fs2.writeFileSync(temp, data, mode === void 0 ? void 0 : { mode });
    if (mode !== void 0) fs2.chmodSync(temp, mode);
    if (owner !== void 0) fs2.chownSync(temp, owner.uid, owner.gid);
    fs2.renameSync(temp, file);
  } catch (err) {
    try {
      fs2.unlinkSync(temp);
    } catch {
    }
    throw err;
  }
}

// exporter/src/statusline/payload.ts
var StatuslinePayloadSchema = pipe(
  anObject,
  object({
    session_id: stringOrNull,
    transcript_path: stringOrNull,
    model: orNull(object({ id: stringOrNull, display_name: stringOrNull })),
    /** The session's cumulative cost so far. */
    cost: orNull(object({ total_cost_usd: orNull(finiteNumber) })),
    /** Pro/Max only, after the first answer; percent and unix seconds. */
    rate_limits: orNull(StatuslineRateLimitsSchema)
  })
);
function parsePayload(raw) {
  if (raw === null || raw.length === 0) return null;
  const parsed = parseJsonWith(StatuslinePayloadSchema, raw.toString("utf8"), "statusline payload");
  return parsed.ok ? parsed.value : null;
}

// exporter/src/statusline/feed.ts
var FEED_VERSION = 1;
var SESSION_RETENTION_MS = 8 * 24 * 36e5;
function localDay(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
function readWith(file, parse2) {
  try {
    const parsed = parse2(fs3.readFileSync(file, "utf8"));
    return parsed.ok ? parsed.value : null;
  } catch {
    return null;
  }
}
function readFeed(file) {
  return readWith(file, (text) => parseStatuslineFeed(text, file));
}
function updateSession(previous, costUsd, today, nowMs) {
  if (!previous) return { costUsd, baselineUsd: 0, day: today, lastSeenMs: nowMs };
  if (previous.day !== today) {
    return {
      costUsd,
      baselineUsd: costUsd >= previous.costUsd ? previous.costUsd : 0,
      day: today,
      lastSeenMs: nowMs
    };
  }
  const baselineUsd = costUsd < previous.costUsd ? previous.baselineUsd - previous.costUsd : previous.baselineUsd;
  return { costUsd, baselineUsd, day: today, lastSeenMs: nowMs };
}
function nextFeed(previous, payload, nowMs) {
  const today = localDay(nowMs);
  const sessions = {};
  for (const [id, s] of Object.entries(previous?.sessions ?? {})) {
    if (nowMs - s.lastSeenMs <= SESSION_RETENTION_MS) sessions[id] = s;
  }
  const sessionId = payload.session_id;
  const cost = payload.cost?.total_cost_usd ?? null;
  if (sessionId !== null && cost !== null)
    sessions[sessionId] = updateSession(sessions[sessionId], cost, today, nowMs);
  const rateLimits = payload.rate_limits;
  const model = payload.model ? { id: payload.model.id, displayName: payload.model.display_name } : previous?.model ?? null;
  return {
    version: FEED_VERSION,
    updatedAtMs: nowMs,
    sessionId: sessionId ?? previous?.sessionId ?? null,
    transcriptPath: payload.transcript_path ?? previous?.transcriptPath ?? null,
    model,
    sessionCostUsd: cost,
    rateLimits: rateLimits ?? previous?.rateLimits ?? null,
    rateLimitsObservedAtMs: rateLimits ? nowMs : previous?.rateLimitsObservedAtMs ?? null,
    sessions
  };
}
function todayCostUsd(feed, nowMs) {
  const today = localDay(nowMs);
  let total = 0;
  for (const s of Object.values(feed.sessions))
    if (s.day === today) total += Math.max(0, s.costUsd - s.baselineUsd);
  return total;
}
function saveFeed(file, feed) {
  writeFileAtomic(file, JSON.stringify(feed), 384);
}
var FEED_LOCK_WAIT_MS = 500;
var FEED_LOCK_STALE_MS = 5e3;
function feedLockPath(file) {
  return `${file}.lock`;
}
function feedPendingDir(file) {
  return `${file}.pending`;
}
var PendingUpdateSchema = object({ nowMs: finiteNumber, payload: StatuslinePayloadSchema });
var sleep = (ms) => new Promise((resolve2) => setTimeout(resolve2, ms));
function tryLock(lock, nowMs) {
  try {
    const fd = fs3.openSync(lock, "wx", 384);
    try {
      fs3.writeSync(fd, `${process.pid} ${nowMs}
`);
      return fs3.fstatSync(fd).ino;
    } finally {
      fs3.closeSync(fd);
    }
  } catch (err) {
    if (err.code === "EEXIST") return null;
    throw err;
  }
}
function breakStaleLock(lock, nowMs) {
  let stale;
  try {
    stale = fs3.statSync(lock);
  } catch {
    return;
  }
  if (nowMs - stale.mtimeMs < FEED_LOCK_STALE_MS) return;
  const aside = `${lock}.${process.pid}.stale`;
  try {
    fs3.renameSync(lock, aside);
  } catch {
    return;
  }
  if (fs3.statSync(aside).ino !== stale.ino) {
    try {
      fs3.linkSync(aside, lock);
    } catch {
    }
  }
  fs3.rmSync(aside, { force: true });
}
function unlock(lock, ino) {
  try {
    if (fs3.statSync(lock).ino === ino) fs3.unlinkSync(lock);
  } catch {
  }
}
async function acquire(lock, waitMs, clock) {
  const startMs = clock();
  for (let attempt = 0; ; attempt++) {
    const ino = tryLock(lock, clock());
    if (ino !== null) return ino;
    breakStaleLock(lock, clock());
    if (clock() - startMs >= waitMs) return tryLock(lock, clock());
    await sleep(Math.min(2 + attempt, 15));
  }
}
function pendingFiles(file) {
  const dir = feedPendingDir(file);
  try {
    return fs3.readdirSync(dir).filter((name) => !name.startsWith(".")).sort().map((name) => path4.join(dir, name));
  } catch {
    return [];
  }
}
function leavePending(file, update) {
  const name = `${String(update.nowMs).padStart(15, "0")}-${process.pid}-${Math.random().toString(36).slice(2)}.json`;
  writeFileAtomic(path4.join(feedPendingDir(file), name), JSON.stringify(update), 384);
}
function readPending(entry) {
  return readWith(entry, (text) => parseJsonWith(PendingUpdateSchema, text, entry));
}
function apply(previous, update) {
  const next = nextFeed(previous, update.payload, update.nowMs);
  return previous && update.nowMs < previous.updatedAtMs ? { ...previous, sessions: next.sessions } : next;
}
function mergeLocked(file, own) {
  const entries = pendingFiles(file);
  const updates = entries.map(readPending).filter((u) => u !== null);
  if (own) updates.push(own);
  if (updates.length === 0) return null;
  updates.sort((a, b) => a.nowMs - b.nowMs);
  const merged = updates.reduce(apply, readFeed(file));
  try {
    if (merged) saveFeed(file, merged);
  } catch {
    return merged;
  }
  for (const entry of entries) fs3.rmSync(entry, { force: true });
  return merged;
}
function drainPending(file, clock) {
  const lock = feedLockPath(file);
  for (let round = 0; round < 10 && pendingFiles(file).length > 0; round++) {
    breakStaleLock(lock, clock());
    const ino = tryLock(lock, clock());
    if (ino === null) return;
    try {
      mergeLocked(file, null);
    } finally {
      unlock(lock, ino);
    }
  }
}
async function updateFeed(file, payload, nowMs, clock = Date.now) {
  const own = { nowMs, payload };
  const lock = feedLockPath(file);
  let ino = null;
  try {
    ensurePrivateDir(path4.dirname(file));
    ino = await acquire(lock, FEED_LOCK_WAIT_MS, clock);
  } catch {
    return apply(readFeed(file), own);
  }
  let shown = null;
  try {
    if (ino !== null) {
      shown = mergeLocked(file, own);
    } else {
      leavePending(file, own);
    }
  } catch {
  } finally {
    if (ino !== null) unlock(lock, ino);
  }
  try {
    drainPending(file, clock);
  } catch {
  }
  return shown ?? apply(readFeed(file), own);
}

// core/src/report/format.ts
function formatDuration(ms) {
  const totalMinutes = Math.max(0, Math.round(ms / 6e4));
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor(totalMinutes % 1440 / 60);
  const minutes = totalMinutes % 60;
  if (days > 0) return `${days}d${hours}h`;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, "0")}m`;
  return `${minutes}m`;
}
function shortModelName(model) {
  const match = /^claude-(.+?)(?:-\d{8})?$/.exec(model);
  return match ? match[1] : model;
}
function formatUsd(usd, style = "compact") {
  if (usd === null) return "n/a";
  if (style === "compact" && Math.abs(usd) >= 1e3) return `$${Math.round(usd).toLocaleString("en-US")}`;
  return `$${usd.toFixed(2)}`;
}

// exporter/src/statusline/render.ts
function windowPart(label, w, nowMs) {
  if (w === void 0) return null;
  const resetsAtMs = w.resets_at !== null ? w.resets_at * 1e3 : null;
  if (resetsAtMs !== null && resetsAtMs <= nowMs) return null;
  const countdown = resetsAtMs !== null ? ` (${formatDuration(resetsAtMs - nowMs)})` : "";
  return `${label} ${Math.round(w.used_percentage)}%${countdown}`;
}
function formatStatusLine(parts, nowMs) {
  const out = [];
  if (parts.modelName) out.push(parts.modelName);
  if (parts.rateLimits) {
    const fiveHour = windowPart("5h", parts.rateLimits.five_hour, nowMs);
    const sevenDay = windowPart("7d", parts.rateLimits.seven_day, nowMs);
    if (fiveHour) out.push(fiveHour);
    if (sevenDay) out.push(sevenDay);
  }
  if (parts.todayCostUsd !== null) out.push(`${formatUsd(parts.todayCostUsd)} today (Claude Code)`);
  return out.length > 0 ? out.join(" | ") : "quotacast";
}

// exporter/src/statusline/stdin.ts
var MAX_STDIN_BYTES = 1024 * 1024;
var STDIN_TIMEOUT_MS = 1e3;
function readStdinBounded(input, maxBytes = MAX_STDIN_BYTES, timeoutMs = STDIN_TIMEOUT_MS) {
  if (input.isTTY) return Promise.resolve(null);
  return new Promise((resolve2) => {
    const chunks = [];
    let size = 0;
    let done = false;
    const finish = (value) => {
      if (done) return;
      done = true;
      clearImmediate(arming);
      if (timer !== void 0) clearTimeout(timer);
      input.removeListener("data", onData);
      input.removeListener("end", onEnd);
      input.removeListener("error", onError);
      input.pause();
      if (value === null && typeof input.destroy === "function")
        input.destroy();
      resolve2(value);
    };
    const onData = (chunk) => {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > maxBytes) return finish(null);
      chunks.push(buffer);
    };
    const onEnd = () => finish(Buffer.concat(chunks));
    const onError = () => finish(null);
    let timer;
    const arming = setImmediate(() => {
      if (!done) timer = setTimeout(() => finish(null), timeoutMs);
    });
    input.on("data", onData);
    input.on("end", onEnd);
    input.on("error", onError);
  });
}

// exporter/src/args.ts
var import_node_util = require("node:util");
var UsageError = class extends Error {
  /** What to do instead (the projects there are, a valid zone), printed under the message. */
  constructor(message, hint) {
    super(message);
    this.hint = hint;
    this.name = "UsageError";
  }
  hint;
  exitCode = 2;
};
function parseCommandArgs(config) {
  try {
    return (0, import_node_util.parseArgs)({ strict: true, ...config });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

// exporter/src/commands/statusline.ts
var processIo = () => ({
  stdin: process.stdin,
  write: (text) => process.stdout.write(text),
  env: process.env,
  nowMs: () => Date.now()
});
function modelNameOf(payload) {
  const model = payload?.model;
  if (!model) return null;
  return model.id !== null ? shortModelName(model.id) : model.display_name;
}
async function renderStatusline(io, wrapped) {
  const raw = await readStdinBounded(io.stdin);
  const payload = parsePayload(raw);
  let line;
  try {
    const nowMs = io.nowMs();
    const file = feedFilePath(io.env);
    const feed = payload ? await updateFeed(file, payload, nowMs) : readFeed(file);
    line = formatStatusLine(
      {
        modelName: modelNameOf(payload) ?? (feed?.model?.id ? shortModelName(feed.model.id) : feed?.model?.displayName ?? null),
        rateLimits: feed?.rateLimits ?? null,
        todayCostUsd: feed ? todayCostUsd(feed, nowMs) : null
      },
      nowMs
    );
  } catch {
    line = modelNameOf(payload) ?? "quotacast";
  }
  if (wrapped === null) return line;
  try {
    const { runWrappedCommand: runWrappedCommand2 } = (init_wrap(), __toCommonJS(wrap_exports));
    const theirs = await runWrappedCommand2(wrapped, raw ?? Buffer.alloc(0));
    return theirs === "" ? line : `${theirs}
${line}`;
  } catch {
    return line;
  }
}
var OPTIONS = {
  wrap: { type: "string" },
  command: { type: "string" },
  help: { type: "boolean", short: "h" }
};
function looseArgs(argv) {
  return parseCommandArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false });
}
function wrappedFromArgv(argv) {
  const encoded = looseArgs(argv).values.wrap;
  if (typeof encoded !== "string" || encoded === "") return null;
  try {
    return Buffer.from(encoded, "base64url").toString("utf8");
  } catch {
    return null;
  }
}

// exporter/src/statusline/script.ts
renderStatusline(processIo(), wrappedFromArgv(process.argv.slice(2))).then(
  (line) => process.stdout.write(`${line}
`),
  () => process.stdout.write("quotacast\n")
);

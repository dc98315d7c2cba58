"use strict";
var __getOwnPropNames = Object.getOwnPropertyNames;
var __commonJS = (cb, mod) => function __require() {
  return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
};

// core/dist/statusline/paths.js
var require_paths = __commonJS({
  "core/dist/statusline/paths.js"(exports2) {
    "use strict";
    var __createBinding = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        }
        __setModuleDefault(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.STATUSLINE_SCRIPT_FILE = void 0;
    exports2.feedFilePath = feedFilePath;
    exports2.settingsFilePath = settingsFilePath;
    exports2.installRecordPath = installRecordPath;
    exports2.installedScriptPath = installedScriptPath;
    var os = __importStar(require("node:os"));
    var path = __importStar(require("node:path"));
    function expandHome(entry, home) {
      if (entry === "~")
        return home;
      if (entry.startsWith("~/") || entry.startsWith("~\\"))
        return path.join(home, entry.slice(2));
      return entry;
    }
    function homeDir(env) {
      return env.HOME && env.HOME !== "" ? env.HOME : os.homedir();
    }
    function feedFilePath(env) {
      const fromEnv = env.QUOTACAST_STATUSLINE_FILE?.trim();
      if (fromEnv)
        return path.resolve(expandHome(fromEnv, homeDir(env)));
      const xdg = env.XDG_DATA_HOME?.trim() ?? "";
      const dataDir = xdg !== "" && path.isAbsolute(xdg) ? xdg : path.join(homeDir(env), ".local", "share");
      return path.join(dataDir, "quotacast", "statusline.json");
    }
    function claudeHomeDir(env) {
      const first = (env.CLAUDE_CONFIG_DIR ?? "").split(",").map((s) => s.trim()).find((s) => s !== "");
      return first ? path.resolve(expandHome(first, homeDir(env))) : path.join(homeDir(env), ".claude");
    }
    function settingsFilePath(env) {
      return path.join(claudeHomeDir(env), "settings.json");
    }
    function installRecordPath(env) {
      return path.join(path.dirname(feedFilePath(env)), "statusline-install.json");
    }
    exports2.STATUSLINE_SCRIPT_FILE = "quotacast-statusline.cjs";
    function installedScriptPath(env) {
      return path.join(path.dirname(feedFilePath(env)), exports2.STATUSLINE_SCRIPT_FILE);
    }
  }
});

// core/dist/statusline/private-files.js
var require_private_files = __commonJS({
  "core/dist/statusline/private-files.js"(exports2) {
    "use strict";
    var __createBinding = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        }
        __setModuleDefault(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.PRIVATE_FILE_MODE = void 0;
    exports2.ensurePrivateDir = ensurePrivateDir;
    exports2.makeFilesPrivate = makeFilesPrivate;
    var fs = __importStar(require("node:fs"));
    var path = __importStar(require("node:path"));
    var PRIVATE_DIR_MODE = 448;
    exports2.PRIVATE_FILE_MODE = 384;
    var DATA_DIR_NAME = "quotacast";
    function ensurePrivateDir(dir) {
      const created = fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
      if (created !== void 0 || path.basename(dir) !== DATA_DIR_NAME)
        return;
      if (!tighten(dir, PRIVATE_DIR_MODE))
        return;
      const files = fs.readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isFile());
      makeFilesPrivate(files.map((entry) => path.join(dir, entry.name)));
    }
    function makeFilesPrivate(files) {
      for (const file of files)
        tighten(file, exports2.PRIVATE_FILE_MODE);
    }
    function tighten(file, mode) {
      let current;
      try {
        current = fs.statSync(file).mode & 511;
      } catch {
        return false;
      }
      if ((current & 63) === 0)
        return false;
      fs.chmodSync(file, current & mode);
      return true;
    }
  }
});

// core/dist/statusline/atomic-write.js
var require_atomic_write = __commonJS({
  "core/dist/statusline/atomic-write.js"(exports2) {
    "use strict";
    var __createBinding = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        }
        __setModuleDefault(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.writeFileAtomic = writeFileAtomic;
    var fs = __importStar(require("node:fs"));
    var path = __importStar(require("node:path"));
    var private_files_1 = require_private_files();
    function writeFileAtomic(file, data, mode, owner) {
      const dir = path.dirname(file);
      (0, private_files_1.ensurePrivateDir)(dir);
      const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`);
      try {
        fs.writeFileSync(temp, data, mode === void 0 ? void 0 : { mode });
        if (mode !== void 0)
          fs.chmodSync(temp, mode);
        if (owner !== void 0)
          fs.chownSync(temp, owner.uid, owner.gid);
        fs.renameSync(temp, file);
      } catch (err) {
        try {
          fs.unlinkSync(temp);
        } catch {
        }
        throw err;
      }
    }
  }
});

// exporter/dist/statusline/feed.js
var require_feed = __commonJS({
  "exporter/dist/statusline/feed.js"(exports2) {
    "use strict";
    var __createBinding = exports2 && exports2.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault = exports2 && exports2.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar = exports2 && exports2.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        }
        __setModuleDefault(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.readFeed = readFeed;
    exports2.todayCostUsd = todayCostUsd;
    exports2.saveFeed = saveFeed;
    exports2.feedLockPath = feedLockPath;
    exports2.feedPendingDir = feedPendingDir;
    exports2.updateFeed = updateFeed;
    var fs = __importStar(require("node:fs"));
    var path = __importStar(require("node:path"));
    var atomic_write_1 = require_atomic_write();
    var private_files_1 = require_private_files();
    var FEED_VERSION = 1;
    var SESSION_RETENTION_MS = 8 * 24 * 36e5;
    var isRecord = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
    var finite = (v) => typeof v === "number" && Number.isFinite(v) ? v : null;
    var str = (v) => typeof v === "string" ? v : null;
    function localDay(ms) {
      const d = new Date(ms);
      const pad = (n) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    }
    function readFeed(file) {
      let json;
      try {
        json = JSON.parse(fs.readFileSync(file, "utf8"));
      } catch {
        return null;
      }
      if (!isRecord(json) || json.version !== FEED_VERSION)
        return null;
      const sessions = {};
      if (isRecord(json.sessions)) {
        for (const [id, s] of Object.entries(json.sessions)) {
          if (!isRecord(s) || finite(s.costUsd) === null || str(s.day) === null)
            continue;
          sessions[id] = {
            costUsd: s.costUsd,
            baselineUsd: finite(s.baselineUsd) ?? 0,
            day: s.day,
            lastSeenMs: finite(s.lastSeenMs) ?? 0
          };
        }
      }
      return {
        version: FEED_VERSION,
        updatedAtMs: finite(json.updatedAtMs) ?? 0,
        sessionId: str(json.sessionId),
        transcriptPath: str(json.transcriptPath),
        model: isRecord(json.model) ? { id: str(json.model.id), displayName: str(json.model.displayName) } : null,
        sessionCostUsd: finite(json.sessionCostUsd),
        rateLimits: isRecord(json.rateLimits) ? json.rateLimits : null,
        rateLimitsObservedAtMs: finite(json.rateLimitsObservedAtMs),
        sessions
      };
    }
    function validRateLimits(value) {
      if (!isRecord(value))
        return null;
      const hasWindow = Object.values(value).some((w) => isRecord(w) && finite(w.used_percentage) !== null);
      return hasWindow ? value : null;
    }
    function updateSession(previous, costUsd, today, nowMs) {
      if (!previous)
        return { costUsd, baselineUsd: 0, day: today, lastSeenMs: nowMs };
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
        if (nowMs - s.lastSeenMs <= SESSION_RETENTION_MS)
          sessions[id] = s;
      }
      const sessionId = str(payload.session_id);
      const cost = isRecord(payload.cost) ? finite(payload.cost.total_cost_usd) : null;
      if (sessionId !== null && cost !== null)
        sessions[sessionId] = updateSession(sessions[sessionId], cost, today, nowMs);
      const rateLimits = validRateLimits(payload.rate_limits);
      const model = isRecord(payload.model) ? { id: str(payload.model.id), displayName: str(payload.model.display_name) } : previous?.model ?? null;
      return {
        version: FEED_VERSION,
        updatedAtMs: nowMs,
        sessionId: sessionId ?? previous?.sessionId ?? null,
        transcriptPath: str(payload.transcript_path) ?? previous?.transcriptPath ?? null,
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
        if (s.day === today)
          total += Math.max(0, s.costUsd - s.baselineUsd);
      return total;
    }
    function saveFeed(file, feed) {
      (0, atomic_write_1.writeFileAtomic)(file, JSON.stringify(feed), 384);
    }
    var FEED_LOCK_WAIT_MS = 500;
    var FEED_LOCK_STALE_MS = 5e3;
    function feedLockPath(file) {
      return `${file}.lock`;
    }
    function feedPendingDir(file) {
      return `${file}.pending`;
    }
    var sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    function tryLock(lock, nowMs) {
      try {
        const fd = fs.openSync(lock, "wx", 384);
        try {
          fs.writeSync(fd, `${process.pid} ${nowMs}
`);
          return fs.fstatSync(fd).ino;
        } finally {
          fs.closeSync(fd);
        }
      } catch (err) {
        if (err.code === "EEXIST")
          return null;
        throw err;
      }
    }
    function breakStaleLock(lock, nowMs) {
      let stale;
      try {
        stale = fs.statSync(lock);
      } catch {
        return;
      }
      if (nowMs - stale.mtimeMs < FEED_LOCK_STALE_MS)
        return;
      const aside = `${lock}.${process.pid}.stale`;
      try {
        fs.renameSync(lock, aside);
      } catch {
        return;
      }
      if (fs.statSync(aside).ino !== stale.ino) {
        try {
          fs.linkSync(aside, lock);
        } catch {
        }
      }
      fs.rmSync(aside, { force: true });
    }
    function unlock(lock, ino) {
      try {
        if (fs.statSync(lock).ino === ino)
          fs.unlinkSync(lock);
      } catch {
      }
    }
    async function acquire(lock, waitMs, clock) {
      const startMs = clock();
      for (let attempt = 0; ; attempt++) {
        const ino = tryLock(lock, clock());
        if (ino !== null)
          return ino;
        breakStaleLock(lock, clock());
        if (clock() - startMs >= waitMs)
          return tryLock(lock, clock());
        await sleep(Math.min(2 + attempt, 15));
      }
    }
    function pendingFiles(file) {
      const dir = feedPendingDir(file);
      try {
        return fs.readdirSync(dir).filter((name) => !name.startsWith(".")).sort().map((name) => path.join(dir, name));
      } catch {
        return [];
      }
    }
    function leavePending(file, update) {
      const name = `${String(update.nowMs).padStart(15, "0")}-${process.pid}-${Math.random().toString(36).slice(2)}.json`;
      (0, atomic_write_1.writeFileAtomic)(path.join(feedPendingDir(file), name), JSON.stringify(update), 384);
    }
    function readPending(entry) {
      try {
        const value = JSON.parse(fs.readFileSync(entry, "utf8"));
        return isRecord(value) && finite(value.nowMs) !== null && isRecord(value.payload) ? { nowMs: value.nowMs, payload: value.payload } : null;
      } catch {
        return null;
      }
    }
    function apply(previous, update) {
      const next = nextFeed(previous, update.payload, update.nowMs);
      return previous && update.nowMs < previous.updatedAtMs ? { ...previous, sessions: next.sessions } : next;
    }
    function mergeLocked(file, own) {
      const entries = pendingFiles(file);
      const updates = entries.map(readPending).filter((u) => u !== null);
      if (own)
        updates.push(own);
      if (updates.length === 0)
        return null;
      updates.sort((a, b) => a.nowMs - b.nowMs);
      const merged = updates.reduce(apply, readFeed(file));
      try {
        if (merged)
          saveFeed(file, merged);
      } catch {
        return merged;
      }
      for (const entry of entries)
        fs.rmSync(entry, { force: true });
      return merged;
    }
    function drainPending(file, clock) {
      const lock = feedLockPath(file);
      for (let round = 0; round < 10 && pendingFiles(file).length > 0; round++) {
        breakStaleLock(lock, clock());
        const ino = tryLock(lock, clock());
        if (ino === null)
          return;
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
        (0, private_files_1.ensurePrivateDir)(path.dirname(file));
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
        if (ino !== null)
          unlock(lock, ino);
      }
      try {
        drainPending(file, clock);
      } catch {
      }
      return shown ?? apply(readFeed(file), own);
    }
  }
});

// core/dist/report/format.js
var require_format = __commonJS({
  "core/dist/report/format.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.formatDuration = formatDuration;
    exports2.formatReserve = formatReserve;
    exports2.shortModelName = shortModelName;
    exports2.formatPercent = formatPercent;
    exports2.formatUsd = formatUsd;
    exports2.formatTokens = formatTokens;
    exports2.formatAge = formatAge;
    exports2.windowLabel = windowLabel;
    exports2.formatClock = formatClock;
    function formatDuration(ms) {
      const totalMinutes = Math.max(0, Math.round(ms / 6e4));
      const days = Math.floor(totalMinutes / 1440);
      const hours = Math.floor(totalMinutes % 1440 / 60);
      const minutes = totalMinutes % 60;
      if (days > 0)
        return `${days}d${hours}h`;
      if (hours > 0)
        return `${hours}h${String(minutes).padStart(2, "0")}m`;
      return `${minutes}m`;
    }
    function formatReserve(reserveMs, windowLengthMs) {
      if (reserveMs === null)
        return "?";
      const sign = reserveMs < 0 ? "-" : "+";
      return `${sign}${formatDuration(Math.abs(reserveMs))}${reserveMs >= windowLengthMs ? "+" : ""}`;
    }
    function shortModelName(model) {
      const match = /^claude-(.+?)(?:-\d{8})?$/.exec(model);
      return match ? match[1] : model;
    }
    function formatPercent(ratio) {
      const pct = ratio * 100;
      return pct > 0 && pct < 10 ? `${pct.toFixed(1)}%` : `${Math.round(pct)}%`;
    }
    function formatUsd(usd, style = "compact") {
      if (usd === null)
        return "n/a";
      if (style === "compact" && Math.abs(usd) >= 1e3)
        return `$${Math.round(usd).toLocaleString("en-US")}`;
      return `$${usd.toFixed(2)}`;
    }
    var integer = null;
    function formatTokens(tokens, style = "compact") {
      if (style === "exact") {
        integer ??= new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
        return integer.format(tokens);
      }
      const abs = Math.abs(tokens);
      if (abs >= 1e9)
        return `${(tokens / 1e9).toFixed(1)}B`;
      if (abs >= 1e6)
        return `${(tokens / 1e6).toFixed(2)}M`;
      if (abs >= 1e3)
        return `${(tokens / 1e3).toFixed(1)}K`;
      return String(Math.round(tokens));
    }
    function formatAge(ageMs) {
      return ageMs < 6e4 ? "just now" : `${formatDuration(ageMs)} ago`;
    }
    var WINDOW_LABELS = {
      five_hour: "5-hour",
      seven_day: "7-day",
      seven_day_opus: "7-day Opus",
      seven_day_sonnet: "7-day Sonnet",
      seven_day_oauth_apps: "7-day OAuth apps",
      seven_day_cowork: "7-day Cowork"
    };
    function windowLabel(window, scopeModel) {
      if (scopeModel)
        return `7-day ${scopeModel.displayName}`;
      return WINDOW_LABELS[window] ?? window.replace(/_/g, " ");
    }
    var clockFormatters = /* @__PURE__ */ new Map();
    function formatClock(ms, timezone, nowMs = ms, locale) {
      const key = `${timezone}|${locale ?? ""}`;
      let formatters = clockFormatters.get(key);
      if (!formatters) {
        if (!isTimeZone(timezone))
          return new Date(ms).toISOString().slice(11, 16);
        const zone = timezone || void 0;
        const clock = locale === void 0 ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } : { timeStyle: "short" };
        formatters = {
          time: new Intl.DateTimeFormat(locale ?? "en-US", { timeZone: zone, ...clock }),
          day: new Intl.DateTimeFormat(locale ?? "en-US", { timeZone: zone, weekday: "short" })
        };
        clockFormatters.set(key, formatters);
      }
      const time = formatters.time.format(ms);
      return Math.abs(ms - nowMs) < 20 * 36e5 ? time : `${formatters.day.format(ms)} ${time}`;
    }
    function isTimeZone(timezone) {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: timezone || void 0 });
        return true;
      } catch {
        return false;
      }
    }
  }
});

// exporter/dist/statusline/render.js
var require_render = __commonJS({
  "exporter/dist/statusline/render.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.formatStatusLine = formatStatusLine;
    var format_1 = require_format();
    function windowPart(label, value, nowMs) {
      if (typeof value !== "object" || value === null)
        return null;
      const w = value;
      if (typeof w.used_percentage !== "number" || !Number.isFinite(w.used_percentage))
        return null;
      const resetsAtMs = typeof w.resets_at === "number" && Number.isFinite(w.resets_at) ? w.resets_at * 1e3 : null;
      if (resetsAtMs !== null && resetsAtMs <= nowMs)
        return null;
      const countdown = resetsAtMs !== null ? ` (${(0, format_1.formatDuration)(resetsAtMs - nowMs)})` : "";
      return `${label} ${Math.round(w.used_percentage)}%${countdown}`;
    }
    function formatStatusLine(parts, nowMs) {
      const out = [];
      if (parts.modelName)
        out.push(parts.modelName);
      if (parts.rateLimits) {
        const fiveHour = windowPart("5h", parts.rateLimits.five_hour, nowMs);
        const sevenDay = windowPart("7d", parts.rateLimits.seven_day, nowMs);
        if (fiveHour)
          out.push(fiveHour);
        if (sevenDay)
          out.push(sevenDay);
      }
      if (parts.todayCostUsd !== null)
        out.push(`${(0, format_1.formatUsd)(parts.todayCostUsd)} today (Claude Code)`);
      return out.length > 0 ? out.join(" | ") : "quotacast";
    }
  }
});

// exporter/dist/statusline/stdin.js
var require_stdin = __commonJS({
  "exporter/dist/statusline/stdin.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.readStdinBounded = readStdinBounded;
    var MAX_STDIN_BYTES = 1024 * 1024;
    var STDIN_TIMEOUT_MS = 1e3;
    function readStdinBounded(input, maxBytes = MAX_STDIN_BYTES, timeoutMs = STDIN_TIMEOUT_MS) {
      if (input.isTTY)
        return Promise.resolve(null);
      return new Promise((resolve) => {
        const chunks = [];
        let size = 0;
        let done = false;
        const finish = (value) => {
          if (done)
            return;
          done = true;
          clearImmediate(arming);
          if (timer !== void 0)
            clearTimeout(timer);
          input.removeListener("data", onData);
          input.removeListener("end", onEnd);
          input.removeListener("error", onError);
          input.pause();
          if (value === null && typeof input.destroy === "function")
            input.destroy();
          resolve(value);
        };
        const onData = (chunk) => {
          const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
          size += buffer.length;
          if (size > maxBytes)
            return finish(null);
          chunks.push(buffer);
        };
        const onEnd = () => finish(Buffer.concat(chunks));
        const onError = () => finish(null);
        let timer;
        const arming = setImmediate(() => {
          if (!done)
            timer = setTimeout(() => finish(null), timeoutMs);
        });
        input.on("data", onData);
        input.on("end", onEnd);
        input.on("error", onError);
      });
    }
  }
});

// exporter/dist/args.js
var require_args = __commonJS({
  "exporter/dist/args.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.UsageError = void 0;
    exports2.checkTimezone = checkTimezone;
    exports2.parseCommandArgs = parseCommandArgs;
    exports2.withUsage = withUsage;
    var node_util_1 = require("node:util");
    var UsageError = class extends Error {
      hint;
      exitCode = 2;
      /** What to do instead (the projects there are, a valid zone), printed under the message. */
      constructor(message, hint) {
        super(message);
        this.hint = hint;
        this.name = "UsageError";
      }
    };
    exports2.UsageError = UsageError;
    function checkTimezone(zone) {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: zone });
        return zone;
      } catch {
        throw new UsageError(`unknown time zone '${zone}'`, "use an IANA name such as UTC, Europe/Paris or America/New_York");
      }
    }
    function parseCommandArgs(config) {
      try {
        return (0, node_util_1.parseArgs)({ strict: true, ...config });
      } catch (err) {
        throw new UsageError(err instanceof Error ? err.message : String(err));
      }
    }
    async function withUsage(command, usage, body, stderr = (text) => process.stderr.write(text)) {
      try {
        return await body();
      } catch (err) {
        if (!(err instanceof UsageError))
          throw err;
        stderr(`quotacast ${command}: ${err.message}
${err.hint ? `  ${err.hint}
` : ""}
${usage()}`);
        return err.exitCode;
      }
    }
  }
});

// exporter/dist/statusline/wrap.js
var require_wrap = __commonJS({
  "exporter/dist/statusline/wrap.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.runWrappedCommand = runWrappedCommand;
    var node_child_process_1 = require("node:child_process");
    var WRAPPED_TIMEOUT_MS = 1e3;
    var MAX_OUTPUT_BYTES = 64 * 1024;
    function runWrappedCommand(command, stdin, timeoutMs = WRAPPED_TIMEOUT_MS) {
      return new Promise((resolve) => {
        let output = "";
        let settled = false;
        const finish = () => {
          if (settled)
            return;
          settled = true;
          clearTimeout(timer);
          resolve(output.replace(/\s+$/, ""));
        };
        let child;
        try {
          child = (0, node_child_process_1.spawn)(command, {
            shell: true,
            stdio: ["pipe", "pipe", "ignore"],
            windowsHide: true,
            detached: process.platform !== "win32"
          });
        } catch {
          resolve("");
          return;
        }
        const timer = setTimeout(() => {
          stopAll(child);
          finish();
        }, timeoutMs);
        child.stdout?.on("data", (chunk) => {
          if (output.length < MAX_OUTPUT_BYTES)
            output += chunk.toString("utf8");
        });
        child.on("error", finish);
        child.on("close", finish);
        child.stdin?.on("error", () => void 0);
        child.stdin?.end(stdin);
      });
    }
    function stopAll(child) {
      try {
        if (child.pid !== void 0 && process.platform !== "win32")
          process.kill(-child.pid, "SIGKILL");
        else
          child.kill("SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      child.stdout?.destroy();
      child.stdin?.destroy();
      child.unref();
    }
  }
});

// left-out:@quotacast/core/statusline/install
var require_install = __commonJS({
  "left-out:@quotacast/core/statusline/install"() {
    throw new Error("not in the statusline script: run quotacast");
  }
});

// left-out:../statusline/command
var require_command = __commonJS({
  "left-out:../statusline/command"() {
    throw new Error("not in the statusline script: run quotacast");
  }
});

// exporter/dist/commands/statusline.js
var require_statusline = __commonJS({
  "exporter/dist/commands/statusline.js"(exports2) {
    "use strict";
    Object.defineProperty(exports2, "__esModule", { value: true });
    exports2.processIo = void 0;
    exports2.renderStatusline = renderStatusline;
    exports2.wrappedFromArgv = wrappedFromArgv;
    exports2.run = run;
    var paths_1 = require_paths();
    var feed_1 = require_feed();
    var format_1 = require_format();
    var render_1 = require_render();
    var stdin_1 = require_stdin();
    var args_1 = require_args();
    var HELP = `usage: quotacast statusline [install | uninstall | status]

  (no argument)  read Claude Code's statusline JSON on stdin, save it, print a status line
  install        set quotacast as Claude Code's statusLine command (wraps an existing one):
                 copies the statusline script into the data dir and runs it with the node
                 on your PATH, so it survives npx cache cleanups and upgrades; rerun to update
  uninstall      undo install, restoring settings.json exactly
  status         whether the installed command can still run, and how to fix it

env: QUOTACAST_STATUSLINE_FILE (feed file), CLAUDE_CONFIG_DIR (where settings.json is)
`;
    var processIo = () => ({
      stdin: process.stdin,
      write: (text) => process.stdout.write(text),
      env: process.env,
      nowMs: () => Date.now()
    });
    exports2.processIo = processIo;
    function parsePayload(raw) {
      if (raw === null || raw.length === 0)
        return null;
      try {
        const value = JSON.parse(raw.toString("utf8"));
        return typeof value === "object" && value !== null && !Array.isArray(value) ? value : null;
      } catch {
        return null;
      }
    }
    function modelNameOf(payload) {
      const model = payload?.model;
      if (!model || typeof model !== "object")
        return null;
      return typeof model.id === "string" ? (0, format_1.shortModelName)(model.id) : typeof model.display_name === "string" ? model.display_name : null;
    }
    async function renderStatusline(io, wrapped) {
      const raw = await (0, stdin_1.readStdinBounded)(io.stdin);
      const payload = parsePayload(raw);
      let line;
      try {
        const nowMs = io.nowMs();
        const file = (0, paths_1.feedFilePath)(io.env);
        const feed = payload ? await (0, feed_1.updateFeed)(file, payload, nowMs) : (0, feed_1.readFeed)(file);
        line = (0, render_1.formatStatusLine)({
          modelName: modelNameOf(payload) ?? (feed?.model?.id ? (0, format_1.shortModelName)(feed.model.id) : feed?.model?.displayName ?? null),
          rateLimits: feed?.rateLimits ?? null,
          todayCostUsd: feed ? (0, feed_1.todayCostUsd)(feed, nowMs) : null
        }, nowMs);
      } catch {
        line = modelNameOf(payload) ?? "quotacast";
      }
      if (wrapped === null)
        return line;
      try {
        const { runWrappedCommand } = require_wrap();
        const theirs = await runWrappedCommand(wrapped, raw ?? Buffer.alloc(0));
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
      return (0, args_1.parseCommandArgs)({ args: argv, options: OPTIONS, allowPositionals: true, strict: false });
    }
    function wrappedFromArgv(argv) {
      const encoded = looseArgs(argv).values.wrap;
      if (typeof encoded !== "string" || encoded === "")
        return null;
      try {
        return Buffer.from(encoded, "base64url").toString("utf8");
      } catch {
        return null;
      }
    }
    async function run(argv, io = (0, exports2.processIo)()) {
      const loose = looseArgs(argv);
      const [sub] = loose.positionals;
      if (loose.values.help === true || sub === "help") {
        io.write(HELP);
        return 0;
      }
      if (sub === "install" || sub === "uninstall" || sub === "status") {
        return (0, args_1.withUsage)("statusline", () => HELP, () => runSubcommand(sub, argv, io));
      }
      try {
        io.write(`${await renderStatusline(io, wrappedFromArgv(argv))}
`);
      } catch {
        io.write("quotacast\n");
      }
      return 0;
    }
    function runSubcommand(sub, argv, io) {
      const { values, positionals } = (0, args_1.parseCommandArgs)({ args: argv, options: OPTIONS, allowPositionals: true });
      if (positionals.length > 1)
        throw new args_1.UsageError(`unexpected '${positionals.slice(1).join(" ")}'`);
      if (sub === "status")
        return statuslineStatus(io);
      const install = require_install();
      if (sub === "uninstall")
        return report(io, install.uninstallStatusline({ env: io.env }));
      let command = values.command || null;
      let note = null;
      if (command === null) {
        const { prepareStatuslineCommand } = require_command();
        const plan = prepareStatuslineCommand({ env: io.env, scriptSource: io.statuslineScript });
        if (!plan.ok)
          return report(io, { ok: false, message: `${plan.problem}: ${plan.fix}` });
        ({ command, note } = plan);
      }
      const outcome = install.installStatusline({ env: io.env, command });
      return report(io, note === null ? outcome : { ...outcome, message: `${outcome.message}
note: ${note}` });
    }
    function report(io, outcome) {
      io.write(`${outcome.message}
`);
      return outcome.ok ? 0 : 1;
    }
    function statuslineStatus(io) {
      const { checkInstalledCommand, settingsStatuslineCommand } = require_command();
      const { isOurCommand } = require_install();
      const command = settingsStatuslineCommand(io.env);
      if (command === null || !isOurCommand(command)) {
        io.write("quotacast's statusline is not installed: run `quotacast statusline install`\n");
        return 0;
      }
      const check = checkInstalledCommand(io.env, command);
      const lines = [`command: ${command}`, `can run: ${check.runnable ? "yes" : "no"}`];
      if (check.problem !== null)
        lines.push(`problem: ${check.problem}`, `fix: ${check.fix}`);
      io.write(`${lines.join("\n")}
`);
      return check.runnable ? 0 : 1;
    }
  }
});

// exporter/dist/statusline/script.js
Object.defineProperty(exports, "__esModule", { value: true });
var statusline_1 = require_statusline();
(0, statusline_1.renderStatusline)((0, statusline_1.processIo)(), (0, statusline_1.wrappedFromArgv)(process.argv.slice(2))).then((line) => process.stdout.write(`${line}
`), () => process.stdout.write("quotacast\n"));

#!/usr/bin/env -S node --max-semi-space-size=2
/**
 * The installed `quotacast` bin: runs the CLI (cli.js beside it) through the compile cache.
 * The shebang's small young generation (2 MB semi-spaces) keeps a first scan's short-lived
 * strings from growing the process by ~30 MB (bench/RESULTS.md, cli section).
 */
import * as path from "node:path";
import { runWithCompileCache } from "./compile-cache";

runWithCompileCache(path.join(__dirname, "cli.js"));

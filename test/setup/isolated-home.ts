/**
 * Every test worker gets its own home and XDG dirs, so no test reads or writes the real
 * ~/.local/share/quotacast (the CLI's state, the exporter's database, the statusline feed),
 * ~/.cache/quotacast (the compile cache) or ~/.claude, also through `os.homedir()` (which
 * reads HOME) in code handed an env without HOME, and in the processes tests start.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const home = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-test-home-"));
process.env.HOME = home;
process.env.XDG_DATA_HOME = path.join(home, ".local", "share");
process.env.XDG_CACHE_HOME = path.join(home, ".cache");
process.env.XDG_CONFIG_HOME = path.join(home, ".config");

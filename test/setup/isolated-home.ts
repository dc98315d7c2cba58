/**
 * Every test worker gets its own data directory, so no test reads or writes the real
 * ~/.local/share/quotacast (the CLI's state, the exporter's database, the statusline feed).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

process.env.XDG_DATA_HOME = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-test-data-"));

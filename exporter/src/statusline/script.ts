/**
 * The statusline command Claude Code runs, bundled into one self-contained file
 * (`quotacast-statusline.cjs`, Node built-ins only) that `quotacast statusline install`
 * copies into quotacast's data dir: it keeps working when npm deletes its npx cache or
 * quotacast is upgraded, moved or removed. Same behaviour as `quotacast statusline`.
 */
import { processIo, renderStatusline, wrappedFromArgv } from "../commands/statusline";

renderStatusline(processIo(), wrappedFromArgv(process.argv.slice(2))).then(
  (line) => process.stdout.write(`${line}\n`),
  () => process.stdout.write("quotacast\n"),
);

/**
 * alertmanager/alertmanager.yml in a real Alertmanager (Debian's prometheus-alertmanager):
 * alerts are posted to its API and read back with the inhibitions it applied. While
 * QuotacastWindowCritical fires for a window, the warning, "exhaustion likely" and "faster
 * than pace" alerts of the same window and instance are inhibited; those of other windows
 * or instances are not.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { waitFor } from "../e2e/environment";
import { findBinary } from "../prometheus/binaries";
import { REPO_ROOT } from "../prometheus/promql";
import { freePort } from "../support/free-port";

const binary = findBinary("prometheus-alertmanager") ?? findBinary("alertmanager");
const INSTALL_HINT = "apt-get install prometheus-alertmanager (what .ci/run does)";
const describeWithAlertmanager = binary ? describe : describe.skip;
const CONFIG = path.join(REPO_ROOT, "alertmanager", "alertmanager.yml");

interface ApiAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[] };
}

let child: ChildProcess | null = null;
let url = "";
let output = "";
let dir = "";

function alert(alertname: string, instance: string, window: string): { labels: Record<string, string> } {
  return { labels: { alertname, instance, window, job: "quotacast" } };
}

const key = (a: { labels: Record<string, string> }): string =>
  `${a.labels.alertname} ${a.labels.instance} ${a.labels.window}`;

describeWithAlertmanager(
  binary
    ? "alertmanager.yml in a real Alertmanager"
    : `alertmanager.yml [SKIPPED: no alertmanager; ${INSTALL_HINT}]`,
  () => {
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-alertmanager-"));
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      child = spawn(
        binary as string,
        [
          `--config.file=${CONFIG}`,
          `--storage.path=${dir}`,
          `--web.listen-address=127.0.0.1:${port}`,
          // A single instance: no gossip port.
          "--cluster.listen-address=",
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString("utf8")).slice(-20_000);
      };
      child.stdout?.on("data", keep);
      child.stderr?.on("data", keep);
      await waitFor(
        "Alertmanager to be ready",
        async () => {
          if (child?.exitCode !== null) throw new Error(`alertmanager exited:\n${output}`);
          return (await fetch(`${url}/-/ready`)).ok ? true : undefined;
        },
        30_000,
      );
    }, 60_000);

    afterAll(async () => {
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child?.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("inhibits the warning, exhaustion and pace alerts of a window while it is critical", async () => {
      const posted = [
        alert("QuotacastWindowCritical", "laptop:9847", "five_hour"),
        alert("QuotacastWindowWarning", "laptop:9847", "five_hour"),
        alert("QuotacastWindowExhaustionLikely", "laptop:9847", "five_hour"),
        alert("QuotacastBurningFasterThanPace", "laptop:9847", "five_hour"),
        // Another window of the same machine, and the same window of another machine.
        alert("QuotacastWindowExhaustionLikely", "laptop:9847", "seven_day"),
        alert("QuotacastBurningFasterThanPace", "laptop:9847", "seven_day"),
        alert("QuotacastBurningFasterThanPace", "desktop:9847", "five_hour"),
      ];
      const response = await fetch(`${url}/api/v2/alerts`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(posted),
      });
      expect(response.status).toBe(200);

      const expected = {
        "QuotacastWindowCritical laptop:9847 five_hour": false,
        "QuotacastWindowWarning laptop:9847 five_hour": true,
        "QuotacastWindowExhaustionLikely laptop:9847 five_hour": true,
        "QuotacastBurningFasterThanPace laptop:9847 five_hour": true,
        "QuotacastWindowExhaustionLikely laptop:9847 seven_day": false,
        "QuotacastBurningFasterThanPace laptop:9847 seven_day": false,
        "QuotacastBurningFasterThanPace desktop:9847 five_hour": false,
      };
      let inhibited: Record<string, boolean> = {};
      // The inhibitor learns of the critical alert asynchronously: read until it has.
      await waitFor(
        "the inhibitions to settle",
        async () => {
          const alerts = (await (await fetch(`${url}/api/v2/alerts`)).json()) as ApiAlert[];
          inhibited = Object.fromEntries(alerts.map((a) => [key(a), a.status.inhibitedBy.length > 0]));
          const settled = JSON.stringify(sortedLike(expected, inhibited)) === JSON.stringify(expected);
          return settled && Object.keys(inhibited).length === posted.length ? true : undefined;
        },
        10_000,
      ).catch(() => undefined); // the assertion below shows what was read
      expect(inhibited).toEqual(expected);
    });
  },
);

/** `actual`'s entries in `expected`'s key order, so two equal maps print the same. */
function sortedLike(
  expected: Record<string, boolean>,
  actual: Record<string, boolean>,
): Record<string, boolean> {
  return Object.fromEntries(Object.keys(expected).map((k) => [k, actual[k]]));
}

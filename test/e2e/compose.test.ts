/**
 * docker-compose.yml cannot run here (no Docker), so its structure is checked instead: the
 * services, the host gateway, that every bind mount names a file of the repo, and that the
 * paths inside the containers agree with the configurations mounted there.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { REPO_ROOT } from "../prometheus/promql";

interface Service {
  image: string;
  command?: string[];
  volumes?: string[];
  ports?: string[];
  extra_hosts?: string[];
  environment?: Record<string, string>;
}

const compose = parseYaml(fs.readFileSync(path.join(REPO_ROOT, "docker-compose.yml"), "utf8")) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};

interface Mount {
  source: string;
  target: string;
  bind: boolean;
}

function mounts(service: Service): Mount[] {
  return (service.volumes ?? []).map((spec) => {
    const [source, target] = spec.split(":");
    return { source, target, bind: source.startsWith(".") || source.startsWith("/") };
  });
}

/** The repository file that appears at `containerPath` inside the service, or null. */
function hostPathOf(service: Service, containerPath: string): string | null {
  for (const mount of mounts(service).filter((m) => m.bind)) {
    if (containerPath === mount.target || containerPath.startsWith(`${mount.target}/`)) {
      return path.join(REPO_ROOT, mount.source, path.relative(mount.target, containerPath));
    }
  }
  return null;
}

function flag(service: Service, name: string): string | undefined {
  return service.command?.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1];
}

describe("docker-compose.yml", () => {
  const { prometheus, grafana, alertmanager } = compose.services;

  it("starts Prometheus, Alertmanager and Grafana from pinned images", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["alertmanager", "grafana", "prometheus"]);
    for (const service of Object.values(compose.services)) expect(service.image).toMatch(/:v?\d+\.\d+\.\d+$/);
  });

  it("every bind mount names a file or folder of the repository, and named volumes are declared", () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const mount of mounts(service)) {
        if (mount.bind)
          expect({
            name,
            source: mount.source,
            exists: fs.existsSync(path.join(REPO_ROOT, mount.source)),
          }).toEqual({ name, source: mount.source, exists: true });
        else expect(Object.keys(compose.volumes)).toContain(mount.source);
      }
    }
  });

  it("Prometheus reaches the exporter on the host through host.docker.internal", () => {
    expect(prometheus.extra_hosts).toContain("host.docker.internal:host-gateway");
    const config = fs.readFileSync(
      hostPathOf(prometheus, flag(prometheus, "config.file") as string) as string,
      "utf8",
    );
    expect(config).toContain('"host.docker.internal:9847"');
  });

  it("Prometheus finds its configuration, its rules and Alertmanager where the configuration says", () => {
    const configPath = flag(prometheus, "config.file") as string;
    const config = parseYaml(fs.readFileSync(hostPathOf(prometheus, configPath) as string, "utf8")) as {
      rule_files: string[];
      alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
    };
    for (const pattern of config.rule_files) {
      const rulesDir = hostPathOf(
        prometheus,
        path.posix.join(path.posix.dirname(configPath), path.posix.dirname(pattern)),
      );
      expect(rulesDir).not.toBeNull();
      expect(
        fs.readdirSync(rulesDir as string).filter((f) => f.endsWith(".yml")).length,
      ).toBeGreaterThanOrEqual(3);
    }
    const [target] = config.alerting.alertmanagers[0].static_configs[0].targets;
    expect(target.split(":")[0] in compose.services).toBe(true);
    expect(flag(prometheus, "storage.tsdb.path")).toBe(mounts(prometheus).find((m) => !m.bind)?.target);
  });

  it("Alertmanager reads the repository's configuration", () => {
    const configPath = hostPathOf(alertmanager, flag(alertmanager, "config.file") as string);
    expect(configPath).toBe(path.join(REPO_ROOT, "alertmanager", "alertmanager.yml"));
    expect(fs.readFileSync(configPath as string, "utf8")).toContain("QuotacastWindowCritical");
  });

  it("Grafana gets the provisioning and the dashboards at the provider's path", () => {
    expect(hostPathOf(grafana, "/etc/grafana/provisioning/datasources")).toBe(
      path.join(REPO_ROOT, "grafana", "provisioning", "datasources"),
    );
    const provider = parseYaml(
      fs.readFileSync(
        hostPathOf(grafana, "/etc/grafana/provisioning/dashboards/quotacast.yml") as string,
        "utf8",
      ),
    ) as { providers: Array<{ options: { path: string } }> };
    const dashboards = hostPathOf(grafana, provider.providers[0].options.path);
    expect(dashboards).toBe(path.join(REPO_ROOT, "grafana", "dashboards"));
    const home = grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH as string;
    expect(fs.existsSync(hostPathOf(grafana, home) as string)).toBe(true);
  });

  it("publishes every port on loopback only", () => {
    const ports = Object.values(compose.services).flatMap((s) => s.ports ?? []);
    expect(ports.length).toBe(3);
    for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it("keeps Prometheus data long enough for 8 weeks of trends and a backfill", () => {
    const retention = flag(prometheus, "storage.tsdb.retention.time") as string;
    expect(Number(/^(\d+)d$/.exec(retention)?.[1])).toBeGreaterThanOrEqual(8 * 7);
  });
});

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as assert from "uvu/assert";
import { decidePrometheus, promtool } from "../support/promtool.js";
import { serviceTest } from "../support/services.js";
import { startTestServer } from "../support/test-server.js";
import { test } from "../support/uvu.js";

const dir = fileURLToPath(new URL("../../deploy/observability/", import.meta.url));

/** Metric names a PromQL expression reads: identifiers of keel's, prom-client's and Node's families. */
function metricNames(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, "");
  return [...withoutLabels.matchAll(/\b(?:keel|process|nodejs)_[a-z0-9_]+\b/g)].map(([name]) => name);
}

/** Every sample name the exposition can carry, from its TYPE lines (series without samples included). */
function exported(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name = "", type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name);
    if (type === "histogram" || type === "summary")
      for (const suffix of ["_bucket", "_sum", "_count"]) names.add(`${name}${suffix}`);
  }
  return names;
}

test("given the Grafana dashboard, when its queries are read, then each names only metrics keel exports", async () => {
  const dashboard = JSON.parse(readFileSync(`${dir}grafana-dashboard.json`, "utf8")) as {
    panels: { title: string; targets: { expr: string }[] }[];
  };
  // The in-process worker brings the relay's gauges, as the worker's own /metrics has them.
  const server = await startTestServer({ env: { WORKER__IN_PROCESS: "true", TRACING__ENABLED: "true" } });
  try {
    const known = exported(await (await fetch(`${server.url}/metrics`)).text());
    assert.ok(dashboard.panels.length > 0);
    for (const panel of dashboard.panels) {
      for (const { expr } of panel.targets) {
        const names = metricNames(expr);
        assert.ok(names.length > 0, `${panel.title}: no metric in ${expr}`);
        for (const name of names) assert.ok(known.has(name), `${panel.title}: ${name} is not exported`);
      }
    }
  } finally {
    await server.stop();
  }
});

test("given an expression naming a metric keel lacks, then the check would catch it", () => {
  assert.equal(metricNames('rate(keel_nope_total{route="x"}[5m])'), ["keel_nope_total"]);
  assert.not.ok(exported("# TYPE keel_http_requests_total counter\n").has("keel_nope_total"));
});

const decision = await decidePrometheus("promtool");
serviceTest(
  decision,
  "given the alert rules, when promtool checks them and runs their unit tests, then both pass",
  async () => {
    await promtool(["check", "rules", `${dir}alerts.yml`]);
    const output = await promtool(["test", "rules", `${dir}alerts.test.yml`]);
    assert.match(output, /SUCCESS/);
  },
);

test.run();

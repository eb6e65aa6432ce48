import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { eventually } from "../../support/eventually.js";
import { freePort } from "../../support/free-port.js";
import { decidePrometheus } from "../../support/promtool.js";
import { serviceTest } from "../../support/services.js";
import { call, startTestServer } from "../../support/test-server.js";
import { test } from "../../support/uvu.js";

/** A Prometheus of the test's own: its config and storage in a temp folder, on a free loopback port. */
async function startPrometheus(target: string): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "keel-prometheus-"));
  const port = await freePort();
  writeFileSync(
    join(dir, "prometheus.yml"),
    `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: keel\n    static_configs:\n      - targets: ["${target}"]\n`,
  );
  const child: ChildProcess = spawn(
    "prometheus",
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: "ignore" },
  );
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const decision = await decidePrometheus("prometheus");
serviceTest(
  decision,
  "given Prometheus scraping keel every second, when a route is called, then its request counter is queryable by route template",
  async () => {
    const server = await startTestServer();
    const prometheus = await startPrometheus(new URL(server.url).host);
    try {
      await call(`${server.url}/api/v1/products`);
      const query = 'keel_http_requests_total{route="/api/v1/products",status_class="2xx"}';
      const value = await eventually(
        `Prometheus to have scraped ${query}`,
        async () => {
          // Refused until Prometheus listens, empty until its first scrape after the call.
          const res = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(query)}`).catch(
            () => undefined,
          );
          if (res?.ok !== true) return undefined;
          const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
          const first = body.data.result[0];
          return first === undefined ? undefined : Number(first.value[1]);
        },
        (sampled) => sampled !== undefined,
        30_000,
      );
      assert.ok((value ?? 0) >= 1);
    } finally {
      await prometheus.stop();
      await server.stop();
    }
  },
);

test.run();

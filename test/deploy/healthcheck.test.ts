/**
 * The image's HEALTHCHECK (deploy/docker/healthcheck.mjs) and the probe paths every descriptor uses,
 * against a real keel serve: the probes answer 200 on a running keel, and the healthcheck script
 * exits 0 while keel answers on either of its probe ports (HTTP__PORT for serve, WORKER__HEALTH_PORT
 * for the worker) and 1 when nothing does.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { cleanEnv, ROOT } from "../support/child-process.js";
import { freePort } from "../support/free-port.js";
import { startTestServer } from "../support/test-server.js";
import { test } from "../support/uvu.js";
import { PROBES } from "./keel-containers.js";

function healthcheck(env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, "deploy/docker/healthcheck.mjs")],
      { env: cleanEnv(env) },
      (error) => resolve(error === null ? 0 : Number(error.code ?? 1)),
    );
  });
}

test("given a running keel serve, then the probe paths the manifests use answer 200, and the HEALTHCHECK passes on either probe port and fails with nothing there", async () => {
  const server = await startTestServer();
  const port = new URL(server.url).port;
  const nothing = String(await freePort());
  try {
    for (const path of Object.values(PROBES)) {
      const response = await fetch(`${server.url}${path}`);
      assert.is(response.status, 200, path);
    }
    assert.is(await healthcheck({ HTTP__PORT: port, WORKER__HEALTH_PORT: nothing }), 0, "serve's port");
    assert.is(await healthcheck({ HTTP__PORT: nothing, WORKER__HEALTH_PORT: port }), 0, "the worker's port");
  } finally {
    await server.stop();
  }
  assert.is(await healthcheck({ HTTP__PORT: port, WORKER__HEALTH_PORT: nothing }), 1, "nothing answers");
});

test.run();

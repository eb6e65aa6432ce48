import { randomBytes } from "node:crypto";
import * as assert from "uvu/assert";
import { cleanEnv, PRODUCTION_SECRETS, spawnTs, waitForOutput } from "../support/child-process.js";
import { eventually } from "../support/eventually.js";
import { deleteStreams, NATS_URL, natsDecision } from "../support/nats.js";
import { createTestSchema, postgresDecision } from "../support/postgres.js";
import { test } from "../support/uvu.js";

const postgres = await postgresDecision();
const nats = await natsDecision();
const missing = [postgres, nats].find((d) => !d.run);

const spec = async () => {
  const schema = await createTestSchema();
  const stream = `keel_worker_${randomBytes(5).toString("hex")}`;
  const worker = spawnTs(
    "src/bootstrap/cli.ts",
    ["worker"],
    cleanEnv({
      ...PRODUCTION_SECRETS,
      APP_ENV: "production",
      PERSISTENCE__DRIVER: "postgres",
      DATABASE__URL: schema.url,
      DATABASE__MIGRATE_ON_START: "true",
      EVENT_BUS__DRIVER: "nats",
      EVENT_BUS__STREAM: stream,
      NATS__URL: NATS_URL,
      MAIL__DRIVER: "log",
      LOG__LEVEL: "info",
      HTTP__HOST: "127.0.0.1",
      WORKER__HEALTH_PORT: "0",
    }),
  );
  try {
    const [, port] = await waitForOutput(worker, /"healthPort":(\d+)[^\n]*"msg":"keel worker is running"/);
    await waitForOutput(worker, /"msg":"relay is active"/);
    // The bus connects in the background (the worker starts while NATS is down), so readiness may
    // take a moment; it requires the bus, and reports the relay's lag.
    const ready = await eventually(
      "the worker to be ready",
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
        const body = (await response.json()) as {
          data: { checks: { name: string; status: string; required: boolean }[] };
        };
        return { status: response.status, checks: body.data.checks };
      },
      (r) => r.status === 200,
    );
    assert.equal(
      ready.checks.map((c) => `${c.name}:${c.status}:${c.required ? "required" : "reported"}`).sort(),
      [
        "cache:up:reported",
        "database:up:required",
        "event-bus:up:required",
        "migrations:up:required",
        // Production's default gateway is http, and this worker has no ORDERS__PAYMENT_GATEWAY_URL.
        "payment-gateway:down:reported",
        "relay-lag:up:reported",
      ],
    );
    const live = await fetch(`http://127.0.0.1:${port}/health/live`);
    assert.is(live.status, 200);
    worker.child.kill("SIGTERM");
    assert.is(await worker.exited(), 0, worker.stderr());
    assert.match(worker.stdout(), /"msg":"keel worker stopped"/);
  } finally {
    worker.child.kill("SIGKILL");
    await schema.drop();
    await deleteStreams(stream, `${stream}_dead_letters`);
  }
};

const title =
  "keel worker starts the relay and the subscribers, reports ready, and stops on SIGTERM with exit 0";
if (missing === undefined) test(title, spec);
else test.skip(`${title} (${missing.run ? "" : missing.reason})`, spec);
test.run();

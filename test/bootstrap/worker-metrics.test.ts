/**
 * The worker's own /metrics, on its health port: `keel serve` and `keel worker` as separate processes
 * (production profile, PostgreSQL, NATS JetStream and Redis, each behind a proxy the test can cut),
 * the worker scraped as Prometheus scrapes it. Skipped with the reason locally when a service or
 * promtool is missing; required under CI=true.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import * as assert from "uvu/assert";
import { eventually } from "../support/eventually.js";
import { sampled } from "../support/exposition.js";
import { natsDecision } from "../support/nats.js";
import { postgresDecision } from "../support/postgres.js";
import { ProductionStack } from "../support/production-stack.js";
import { decidePrometheus, expositionFindings } from "../support/promtool.js";
import { redisDecision } from "../support/redis.js";
import { type ServiceDecision, serviceTest } from "../support/services.js";
import { call } from "../support/test-server.js";
import { test } from "../support/uvu.js";

const TOKEN = "worker-scrape-secret";

async function decision(): Promise<ServiceDecision> {
  for (const next of [postgresDecision, redisDecision, natsDecision, () => decidePrometheus("promtool")]) {
    const service = await next();
    if (!service.run) return service;
  }
  return { run: true };
}

serviceTest(
  await decision(),
  "given keel worker with METRICS__BEARER_TOKEN, when its health port is scraped before, during and after a NATS outage, then it answers only the token, with the relay's lag and publishes, the consumers' deliveries and the process defaults, in exposition promtool accepts",
  async () => {
    const stack = await ProductionStack.start({ env: { METRICS__BEARER_TOKEN: TOKEN } });
    const db = new pg.Client({ connectionString: stack.schema.url });
    try {
      await db.connect();
      const worker = stack.url("worker");
      const scrape = async () => {
        const res = await fetch(`${worker}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
        assert.is(res.status, 200);
        assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
        return res.text();
      };

      // Protected as on serve; the probes are not.
      for (const headers of [{}, { authorization: "Bearer wrong" }] as Record<string, string>[]) {
        const refused = await call(`${worker}/metrics`, { headers });
        assert.is(refused.status, 401);
        assert.is(refused.body.code, "UNAUTHENTICATED");
        assert.is(refused.headers.get("www-authenticate"), 'Bearer realm="keel-metrics"');
      }
      assert.is((await call(`${worker}/health/live`)).status, 200, "the probes need no token");
      await eventually(
        "the worker to be ready (the bus connects in the background)",
        async () => (await call(`${worker}/health/ready`)).status,
        (status) => status === 200,
        30_000,
      );
      const before = await scrape();
      assert.is(sampled(before, "keel_health_check_up", { check: "event-bus" }), 1);

      // NATS is cut: a registration waits in the outbox, and the relay's publishes fail.
      stack.nats.set("refuse");
      const registered = await call(`${stack.url("serve")}/api/v1/users`, {
        method: "POST",
        json: {
          email: `scraped-${randomBytes(4).toString("hex")}@keel.test`,
          password: "a passphrase long enough",
          given_name: "Scraped",
          family_name: "Worker",
        },
      });
      assert.is(registered.status, 201, JSON.stringify(registered.body));
      const during = await eventually(
        "the relay to fail to publish the registration",
        scrape,
        (text) =>
          (sampled(text, "keel_relay_publish_failures_total") ?? 0) >= 1 &&
          (sampled(text, "keel_outbox_events_behind") ?? 0) >= 1,
        20_000,
      );
      assert.is(sampled(during, "keel_health_check_up", { check: "event-bus" }), 0);

      // NATS is back: the backlog is published, and the welcome mail is sent for every registration.
      stack.nats.set("pass");
      const registrations = Number(
        (await db.query<{ n: string }>("select count(*) as n from events where type = 'user.registered'"))
          .rows[0]?.n,
      );
      const welcomed = (text: string) =>
        sampled(text, "keel_consumer_deliveries_total", {
          subscription: "user-welcome-mail",
          outcome: "processed",
        }) ?? 0;
      const after = await eventually(
        `the welcome mail to be processed for all ${registrations} registrations`,
        scrape,
        (text) => welcomed(text) >= registrations && sampled(text, "keel_outbox_events_behind") === 0,
        30_000,
      );
      assert.ok(registrations >= 1);
      assert.ok(
        (sampled(after, "keel_relay_published_total") ?? 0) >
          (sampled(before, "keel_relay_published_total") ?? 0),
        "the relay counted the publish",
      );
      assert.is(sampled(after, "keel_outbox_seconds_behind"), 0);
      assert.is(sampled(after, "keel_consumer_dead_letters_total"), undefined, "nothing dead-lettered");
      for (const name of [
        "process_cpu_user_seconds_total",
        "process_resident_memory_bytes",
        "nodejs_eventloop_lag_seconds",
      ])
        assert.ok(sampled(after, name) !== undefined, `the process default ${name}`);
      // The worker's own requests, labelled as on serve: its probes and its scrapes.
      assert.ok(
        (sampled(after, "keel_http_requests_total", { route: "/metrics", status_class: "2xx" }) ?? 0) >= 3,
      );
      assert.is(sampled(after, "keel_http_requests_total", { route: "/metrics", status_class: "4xx" }), 2);
      assert.equal(await expositionFindings(after), []);
    } finally {
      await db.end().catch(() => undefined);
      await stack.stop();
    }
  },
);

test.run();

/**
 * Fault test (issue "Messaging", item 6): the worker's liveness fails only when its NATS connection
 * is beyond recovery. The worker talks to a nats-server of the test's own (never the shared one):
 * while that server is down the worker is not ready but alive; once it comes back requiring a token
 * the worker does not have, the client closes for good and /health/live answers 503, naming the event
 * bus, so that a supervisor restarts the process. Prints what each probe answered and when.
 */
import * as assert from "uvu/assert";
import { eventually } from "../support/eventually.js";
import { natsDecision } from "../support/nats.js";
import { OwnNats, ownNatsDecision } from "../support/own-nats.js";
import { postgresDecision } from "../support/postgres.js";
import { ProductionStack } from "../support/production-stack.js";
import { redisDecision } from "../support/redis.js";
import { type ServiceDecision, serviceTest } from "../support/services.js";
import { hold, timed } from "../support/stack-requests.js";
import { test } from "../support/uvu.js";

async function decision(): Promise<ServiceDecision> {
  for (const next of [postgresDecision, redisDecision, natsDecision, ownNatsDecision]) {
    const service = await next();
    if (!service.run) return service;
  }
  return { run: true };
}

serviceTest(
  await decision(),
  "given a worker whose NATS server goes down, it stays alive; when the server refuses its credentials, the client gives up and the worker's liveness fails naming the event bus",
  async () => {
    const nats = await OwnNats.start();
    const stack = await ProductionStack.start({ processes: [] });
    try {
      await stack.startProcess("worker", { NATS__URL: nats.url });
      const worker = stack.url("worker");
      const probe = async () => {
        await hold(100);
        const [live, ready] = await Promise.all([
          timed(`${worker}/health/live`),
          timed(`${worker}/health/ready`),
        ]);
        return { live: live.status, ready: ready.status, broken: live.body?.data?.broken };
      };
      const before = await eventually("the worker to be ready", probe, (p) => p.ready === 200, 10_000);

      await nats.kill();
      const down = await eventually("the worker to notice", probe, (p) => p.ready === 503, 10_000);
      // A few reconnect attempts (1 to 2 s apart) are refused meanwhile.
      await hold(4000);
      const stillDown = await probe();

      await nats.restart({ token: "a-token-the-worker-was-never-given" });
      const restartedAt = performance.now();
      const dead = await eventually("the worker's liveness to fail", probe, (p) => p.live === 503, 15_000);
      const deadAfterMs = performance.now() - restartedAt;

      console.log(
        [
          `  NATS up: live ${before.live}, ready ${before.ready}`,
          `  NATS down: live ${down.live}, ready ${down.ready}; 4 s later live ${stillDown.live}, ready ${stillDown.ready}`,
          `  NATS back refusing the worker's credentials: live ${dead.live} after ${deadAfterMs.toFixed(0)} ms ` +
            `(${JSON.stringify(dead.broken)}), ready ${dead.ready}; worker still running: ${stack.alive("worker")}`,
        ].join("\n"),
      );

      assert.equal([before.live, before.ready], [200, 200]);
      assert.equal([down.live, stillDown.live, stillDown.ready], [200, 200, 503], "an outage is not a death");
      assert.is(dead.live, 503);
      assert.equal(
        (dead.broken as { name: string }[]).map((b) => b.name),
        ["event-bus"],
      );
      assert.match(JSON.stringify(dead.broken), /closed for good/);
    } finally {
      await stack.stop();
      await nats.stop();
    }
  },
);

test.run();

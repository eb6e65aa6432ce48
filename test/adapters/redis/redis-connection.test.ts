import { connect, createServer, type Server, type Socket } from "node:net";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { RedisConnection } from "../../../src/adapters/redis/redis-connection.js";
import { eventually } from "../../support/eventually.js";
import { REDIS_URL, redisDecision, UNREACHABLE_REDIS_URL } from "../../support/redis.js";
import { serviceTest } from "../../support/services.js";
import { recordingLogger } from "../mail/recording-logger.js";

test("given Redis down, starting neither fails nor waits, the check fails fast, and stop ends the retries", async () => {
  const logger = recordingLogger();
  const redis = new RedisConnection({
    url: UNREACHABLE_REDIS_URL,
    logger,
    consequence: () => "nothing works",
  });
  const started = Date.now();
  await redis.start();
  const check = redis.healthCheck(() => true);
  const failure = await check.check().then(
    () => undefined,
    (error: Error) => error,
  );
  assert.instance(failure, Error);
  assert.ok(Date.now() - started < 1000, "no connect or command wait");
  assert.is(check.required, true);
  assert.equal(
    logger.entries.map((e) => [e.level, e.message, e.fields.consequence]),
    [["warn", "redis unreachable; reconnecting in the background", "nothing works"]],
  );
  // Stopping cancels the pending reconnect: were a retry timer left behind, this run would never exit.
  await redis.stop();
});

test("the health check's `required` follows its setting at every probe", () => {
  let closed = false;
  const check = new RedisConnection({ url: UNREACHABLE_REDIS_URL, logger: recordingLogger() }).healthCheck(
    () => closed,
  );
  assert.is(check.required, false);
  closed = true;
  assert.is(check.required, true);
});

const decision = await redisDecision();

serviceTest(decision, "given Redis up, the check passes and stop closes the connection", async () => {
  const redis = new RedisConnection({ url: REDIS_URL, logger: recordingLogger() });
  await redis.start();
  await redis.healthCheck(() => true).check();
  await redis.stop();
  await eventually(
    "the client to end",
    () => redis.client.status,
    (s) => s === "end",
  );
});

serviceTest(
  decision,
  "given an outage that ends, it is logged once when it begins and once when it ends",
  async () => {
    const proxy = await tcpProxy(new URL(REDIS_URL));
    const logger = recordingLogger();
    const redis = new RedisConnection({ url: `redis://127.0.0.1:${proxy.port}`, logger });
    try {
      await redis.start();
      let errors = 0;
      redis.client.on("error", () => errors++);
      await proxy.cut();
      await eventually(
        "a few failed reconnects",
        () => errors,
        (n) => n >= 2,
      );
      await proxy.restore();
      await eventually(
        "the connection to recover",
        () => redis.client.status,
        (s) => s === "ready",
      );
      assert.equal(
        logger.entries.map((e) => [e.level, e.message]),
        [
          ["warn", "redis unreachable; reconnecting in the background"],
          ["info", "redis reachable again"],
        ],
      );
    } finally {
      await redis.stop();
      await proxy.cut();
    }
  },
);

/** A TCP forwarder to Redis that a test can cut (closing every connection) and restore on the same port. */
async function tcpProxy(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = async () => {
    server = createServer((client) => {
      const upstream = connect(Number(target.port || 6379), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server?.listen(port, "127.0.0.1", resolve));
    const address = server.address();
    if (address && typeof address === "object") port = address.port;
  };
  await listen();
  return {
    port,
    cut: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => (server?.listening ? server.close(resolve) : resolve(undefined)));
    },
    restore: listen,
  };
}

test.run();

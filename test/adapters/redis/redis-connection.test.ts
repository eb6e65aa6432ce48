import { connect, createServer, type Server, type Socket } from "node:net";
import { ReplyError } from "ioredis";
import * as assert from "uvu/assert";
import { isRedisOutage, RedisConnection } from "../../../src/adapters/redis/redis-connection.js";
import { CircuitOpen } from "../../../src/adapters/resilience/circuit-breaker.js";
import { eventually } from "../../support/eventually.js";
import { OwnRedis, ownRedisDecision } from "../../support/own-redis.js";
import { REDIS_URL, redisDecision, UNREACHABLE_REDIS_URL } from "../../support/redis.js";
import { rejects } from "../../support/rejects.js";
import { serviceTest } from "../../support/services.js";
import { test } from "../../support/uvu.js";
import { recordingLogger } from "../mail/recording-logger.js";

test("given Redis down, starting neither fails nor waits, the circuit opens so the check fails at once, and stop ends the retries", async () => {
  const logger = recordingLogger();
  const redis = new RedisConnection({
    url: UNREACHABLE_REDIS_URL,
    logger,
    consequence: () => "nothing works",
  });
  const started = Date.now();
  await redis.start();
  const check = redis.healthCheck(() => true);
  await rejects(() => check.check(), CircuitOpen);
  assert.ok(Date.now() - started < 1000, "no connect or command wait");
  assert.is(check.required, true);
  assert.equal(
    logger.entries.map((e) => [e.level, e.message, e.fields.consequence]),
    [["warn", "redis unavailable; circuit open, calls skip redis until it answers a probe", "nothing works"]],
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
  "given an outage that ends, it is logged once when the circuit opens and once when it closes",
  async () => {
    const proxy = await tcpProxy(new URL(REDIS_URL));
    const logger = recordingLogger();
    const redis = new RedisConnection({ url: `redis://127.0.0.1:${proxy.port}`, logger, probeMs: 100 });
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
        "the circuit to close",
        () => redis.breaker.state,
        (s) => s === "closed",
      );
      assert.equal(
        logger.entries.map((e) => [e.level, e.message]),
        [
          ["warn", "redis unavailable; circuit open, calls skip redis until it answers a probe"],
          ["info", "redis answers again; circuit closed"],
        ],
      );
    } finally {
      await redis.stop();
      await proxy.cut();
    }
  },
);

const ownRedis = await ownRedisDecision();

serviceTest(
  ownRedis,
  "given a hung Redis, when a command times out, then the circuit opens, later calls and the check fail at once, and a probe closes it after SIGCONT",
  async () => {
    const server = await OwnRedis.start();
    const logger = recordingLogger();
    const redis = new RedisConnection({ url: server.url, logger, commandTimeoutMs: 200, probeMs: 100 });
    try {
      await redis.start();
      server.pause();
      const timedOut = await rejects(() => redis.breaker.run(() => redis.client.get("k")), Error);
      assert.match(timedOut.message, /timed out/);
      assert.is(redis.breaker.state, "open");

      const started = performance.now();
      await rejects(() => redis.breaker.run(() => redis.client.get("k")), CircuitOpen);
      await rejects(() => redis.healthCheck(() => true).check(), CircuitOpen);
      assert.ok(performance.now() - started < 50, "no call waits for the command timeout");

      server.resume();
      await eventually(
        "the circuit to close",
        () => redis.breaker.state,
        (s) => s === "closed",
        2000,
      );
      assert.is(await redis.breaker.run(() => redis.client.ping()), "PONG");
      assert.equal(
        logger.entries.map((e) => [e.level, e.message, e.fields.reason ?? ""]),
        [
          [
            "warn",
            "redis unavailable; circuit open, calls skip redis until it answers a probe",
            "Command timed out",
          ],
          ["info", "redis answers again; circuit closed", ""],
        ],
      );
    } finally {
      server.resume();
      await redis.stop();
      await server.stop();
    }
  },
);

test("a reply error is Redis answering, not an outage; a timeout or a lost connection is", () => {
  assert.is(
    isRedisOutage(new ReplyError("WRONGTYPE Operation against a key holding the wrong kind of value")),
    false,
  );
  assert.is(isRedisOutage("over the limit"), false, "a limiter's refusal is an answer too");
  assert.is(isRedisOutage(new Error("Command timed out")), true);
  assert.is(isRedisOutage(new Error("Connection is closed.")), true);
});

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

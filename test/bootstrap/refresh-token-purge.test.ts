import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { MemoryRefreshTokens } from "../../src/adapters/auth/memory/memory-refresh-tokens.js";
import { MemoryDatabase } from "../../src/adapters/memory/memory-database.js";
import { appConfig, loadConfig } from "../../src/bootstrap/app-config.js";
import { type Every, refreshTokenPurge } from "../../src/bootstrap/auth/refresh-token-purge.js";
import { ConfigStore } from "../../src/bootstrap/config/index.js";
import { buildContainer } from "../../src/bootstrap/container.js";
import type { Component } from "../../src/bootstrap/lifecycle.js";
import type { Role } from "../../src/bootstrap/modules/module.js";
import { Tokens } from "../../src/bootstrap/tokens.js";
import { type NewRefreshToken, RefreshTokens } from "../../src/ports/auth/refresh-tokens.js";
import { Clock } from "../../src/ports/clock.js";
import type { Logger } from "../../src/ports/logger.js";
import { UnitOfWork } from "../../src/ports/unit-of-work.js";
import { CapturedLog } from "../support/captured-log.js";
import { FixedClock } from "../support/fixed-clock.js";
import { test } from "../support/uvu.js";

const NOW = new Date("2026-06-10T12:00:00.000Z");
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

const expiringAt = (ms: number): NewRefreshToken => ({
  id: randomUUID(),
  familyId: randomUUID(),
  userId: randomUUID(),
  secretHash: `hash-${randomUUID()}`,
  scopes: [],
  createdAt: new Date(ms - 30 * DAY),
  expiresAt: new Date(ms),
});

const META = { correlationId: "purge-test", principal: "system:test" };

/** Adds tokens inside the transaction `run` opens (the memory database's or a unit of work). */
async function added(
  run: (work: () => Promise<void>) => Promise<void>,
  tokens: RefreshTokens,
  ...all: readonly NewRefreshToken[]
): Promise<void> {
  await run(async () => {
    for (const token of all) await tokens.add(token);
  });
}

interface Line {
  readonly level: "info" | "warn";
  readonly fields: Record<string, unknown>;
}

function recordingLogger(lines: Line[]): Logger {
  const logger: Logger = {
    error: () => {},
    warn: (fields) => void lines.push({ level: "warn", fields }),
    info: (fields) => void lines.push({ level: "info", fields }),
    debug: () => {},
    child: () => logger,
    isLevelEnabled: () => true,
  };
  return logger;
}

/** A schedule the test drives: it records the interval and runs a tick when told. */
function manualSchedule() {
  const state: { ms?: number; run?: () => void; cancelled: boolean } = { cancelled: false };
  const every: Every = (ms, run) => {
    state.ms = ms;
    state.run = run;
    return () => {
      state.cancelled = true;
    };
  };
  return { every, state };
}

function memoryTokens() {
  const db = new MemoryDatabase(randomUUID);
  const tokens = new MemoryRefreshTokens(db);
  return {
    tokens,
    add: (...all: NewRefreshToken[]) => added((work) => db.transaction(META, work), tokens, ...all),
  };
}

test("start purges tokens expired more than a day ago, rotated and revoked ones too, and keeps the rest", async () => {
  const { tokens, add } = memoryTokens();
  const stale = expiringAt(NOW.getTime() - 2 * DAY);
  const staleRotated = expiringAt(NOW.getTime() - 3 * DAY);
  const staleRevoked = expiringAt(NOW.getTime() - DAY - 1);
  const recentlyExpired = expiringAt(NOW.getTime() - HOUR);
  const live = expiringAt(NOW.getTime() + DAY);
  await add(stale, staleRotated, staleRevoked, recentlyExpired, live);
  await tokens.markRotated(staleRotated.id, NOW);
  await tokens.revokeFamily(staleRevoked.familyId, NOW);
  const lines: Line[] = [];
  const { every, state } = manualSchedule();
  const purge = refreshTokenPurge(tokens, new FixedClock(NOW), recordingLogger(lines), every);

  await purge.start();

  for (const token of [stale, staleRotated, staleRevoked])
    assert.is(await tokens.findBySecretHash(token.secretHash), undefined);
  assert.ok(await tokens.findBySecretHash(recentlyExpired.secretHash));
  assert.ok(await tokens.findBySecretHash(live.secretHash));
  assert.equal(lines, [
    {
      level: "info",
      fields: { purged: 3, before: new Date(NOW.getTime() - DAY).toISOString() },
    },
  ]);
  assert.is(state.ms, HOUR);
  await purge.stop();
  assert.ok(state.cancelled);
});

test("each hourly run cuts off a day before the clock's now; nothing purged logs nothing; stop cancels the timer", async () => {
  const { tokens, add } = memoryTokens();
  const clock = new FixedClock(NOW);
  const token = expiringAt(NOW.getTime() - HOUR);
  await add(token);
  const lines: Line[] = [];
  const { every, state } = manualSchedule();
  const purge = refreshTokenPurge(tokens, clock, recordingLogger(lines), every);

  await purge.start();
  assert.equal(lines, []);
  assert.ok(await tokens.findBySecretHash(token.secretHash));

  clock.advance(DAY);
  state.run?.();
  await purge.stop();
  assert.ok(state.cancelled);
  assert.is(await tokens.findBySecretHash(token.secretHash), undefined);
  assert.equal(lines, [{ level: "info", fields: { purged: 1, before: NOW.toISOString() } }]);
});

test("a failing purge is a warning: start still succeeds and the next run tries again", async () => {
  let calls = 0;
  const failing = new (class extends MemoryRefreshTokens {
    override async purgeExpired(): Promise<number> {
      calls++;
      throw new Error("database unavailable");
    }
  })(new MemoryDatabase(randomUUID));
  const lines: Line[] = [];
  const { every, state } = manualSchedule();
  const purge = refreshTokenPurge(failing, new FixedClock(NOW), recordingLogger(lines), every);

  await purge.start();
  state.run?.();
  await purge.stop();

  assert.is(calls, 2);
  assert.equal(
    lines.map((l) => l.level),
    ["warn", "warn"],
  );
});

const CONFIG_DIR = mkdtempSync(join(tmpdir(), "keel-purge-config-"));

function container(role: Role, clock: FixedClock) {
  const env = { APP_ENV: "test", PERSISTENCE__DRIVER: "memory" };
  const read = () => loadConfig({ env, dir: CONFIG_DIR });
  const loaded = read();
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return buildContainer(new ConfigStore({ definition: appConfig, config: loaded.config, reread: read }), {
    role,
    logDestination: new CapturedLog(),
    overrides: (c) => void c.rebind(Clock).toConstantValue(clock),
  });
}

test("the worker binds the purge, with the real timer, and serve does not", async () => {
  const clock = new FixedClock(NOW);
  const serving = container("serve", clock).getAll<Component>(Tokens.WorkerComponents, { optional: true });
  assert.not.ok(serving.some((c) => c.name === "refresh-token-purge"));

  const worker = container("worker", clock);
  const purge = worker
    .getAll<Component>(Tokens.WorkerComponents, { optional: true })
    .find((c) => c.name === "refresh-token-purge");
  if (purge === undefined) throw new Error("the worker has no refresh-token-purge component");
  const tokens = worker.get<RefreshTokens>(RefreshTokens);
  const unitOfWork = worker.get<UnitOfWork>(UnitOfWork);
  const stale = expiringAt(NOW.getTime() - 2 * DAY);
  await added((work) => unitOfWork.run(META, work), tokens, stale);

  await purge.start();
  assert.is(await tokens.findBySecretHash(stale.secretHash), undefined);
  await purge.stop();
});

test.run();

import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { MemoryRefreshTokens } from "../../src/adapters/auth/memory/memory-refresh-tokens.js";
import { MemoryDatabase } from "../../src/adapters/memory/memory-database.js";
import {
  RefreshTokenPurge,
  refreshTokenPurgeJob,
  refreshTokenPurgeSchedule,
} from "../../src/application/auth/refresh-token-purge.js";
import { appConfig, loadConfig } from "../../src/bootstrap/app-config.js";
import { ConfigStore } from "../../src/bootstrap/config/index.js";
import { buildContainer } from "../../src/bootstrap/container.js";
import type { Component } from "../../src/bootstrap/lifecycle.js";
import type { Role } from "../../src/bootstrap/modules/module.js";
import { Tokens } from "../../src/bootstrap/tokens.js";
import { type NewRefreshToken, RefreshTokens } from "../../src/ports/auth/refresh-tokens.js";
import { Clock } from "../../src/ports/clock.js";
import { JobSchedules } from "../../src/ports/job-schedules.js";
import { Jobs } from "../../src/ports/jobs.js";
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

function memoryTokens() {
  const db = new MemoryDatabase(randomUUID);
  const tokens = new MemoryRefreshTokens(db);
  return {
    tokens,
    add: (...all: NewRefreshToken[]) => added((work) => db.transaction(META, work), tokens, ...all),
  };
}

test("a purge deletes tokens expired more than a day ago, rotated and revoked ones too, and keeps the rest", async () => {
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

  await new RefreshTokenPurge(tokens, new FixedClock(NOW), recordingLogger(lines)).handle();

  for (const token of [stale, staleRotated, staleRevoked])
    assert.is(await tokens.findBySecretHash(token.secretHash), undefined);
  assert.ok(await tokens.findBySecretHash(recentlyExpired.secretHash));
  assert.ok(await tokens.findBySecretHash(live.secretHash));
  assert.equal(lines, [
    { level: "info", fields: { purged: 3, before: new Date(NOW.getTime() - DAY).toISOString() } },
  ]);
});

test("a purge that finds nothing logs nothing, and running it again deletes nothing more", async () => {
  const { tokens, add } = memoryTokens();
  const token = expiringAt(NOW.getTime() - HOUR);
  await add(token);
  const lines: Line[] = [];
  const purge = new RefreshTokenPurge(tokens, new FixedClock(NOW), recordingLogger(lines));

  await purge.handle();
  await purge.handle();

  assert.equal(lines, []);
  assert.ok(await tokens.findBySecretHash(token.secretHash));
});

test("the purge is an hourly schedule in UTC whose job is retried a few times", () => {
  assert.is(refreshTokenPurgeSchedule.cron, "0 * * * *");
  assert.is(refreshTokenPurgeSchedule.timeZone, "UTC");
  assert.is(refreshTokenPurgeSchedule.job, refreshTokenPurgeJob);
  assert.is(refreshTokenPurgeJob.retry?.maxAttempts, 3);
});

const CONFIG_DIR = mkdtempSync(join(tmpdir(), "keel-purge-config-"));

function container(role: Role, clock: FixedClock) {
  const env = { APP_ENV: "test", PERSISTENCE__DRIVER: "memory", JOBS__POLL_MS: "50" };
  const read = () => loadConfig({ env, dir: CONFIG_DIR });
  const loaded = read();
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return buildContainer(new ConfigStore({ definition: appConfig, config: loaded.config, reread: read }), {
    role,
    logDestination: new CapturedLog(),
    overrides: (c) => void c.rebind(Clock).toConstantValue(clock),
  });
}

test("the worker defines the schedule and its job runner purges when the hour comes; serve runs no jobs", async () => {
  const clock = new FixedClock(NOW);
  const serving = container("serve", clock).getAll<Component>(Tokens.WorkerComponents, { optional: true });
  assert.not.ok(serving.some((c) => c.name === "jobs"));

  const worker = container("worker", clock);
  const jobs = worker
    .getAll<Component>(Tokens.WorkerComponents, { optional: true })
    .find((c) => c.name === "jobs");
  if (jobs === undefined) throw new Error("the worker has no jobs component");
  const tokens = worker.get<RefreshTokens>(RefreshTokens);
  const unitOfWork = worker.get<UnitOfWork>(UnitOfWork);
  const stale = expiringAt(NOW.getTime() - 2 * DAY);
  await added((work) => unitOfWork.run(META, work), tokens, stale);

  await jobs.start();
  try {
    const [schedule] = await worker.get<JobSchedules>(JobSchedules).list();
    assert.is(schedule?.name, "auth.refresh-token-purge");
    assert.equal(schedule?.nextRunAt, new Date("2026-06-10T13:00:00.000Z"));
    assert.ok(await tokens.findBySecretHash(stale.secretHash), "nothing runs before the hour");

    clock.advance(HOUR);
    await eventually(async () => (await tokens.findBySecretHash(stale.secretHash)) === undefined);

    const [purge] = await worker.get<Jobs>(Jobs).list({ type: "auth.refresh-token-purge", limit: 5 });
    assert.is(purge?.state, "succeeded");
  } finally {
    await jobs.stop();
  }
});

/** Polls until `done` holds, failing after ten seconds: the runner polls every 50 ms here. */
async function eventually(done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("the job did not run within 10 s");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test.run();

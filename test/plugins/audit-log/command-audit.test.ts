import * as assert from "uvu/assert";
import { MemoryAuditReadModel } from "../../../plugins/audit-log/adapters/memory/memory-audit-read-model.js";
import { MemoryAuditTrail } from "../../../plugins/audit-log/adapters/memory/memory-audit-trail.js";
import { CommandAudit } from "../../../plugins/audit-log/application/command-audit.js";
import { MemoryDatabase, type TableDefinition } from "../../../src/adapters/memory/memory-database.js";
import { MemoryUnitOfWork } from "../../../src/adapters/memory/memory-unit-of-work.js";
import type { ExecutionContext } from "../../../src/application/shared/execution-context.js";
import { Command, type Handler } from "../../../src/application/shared/message.js";
import { MessageBus } from "../../../src/application/shared/message-bus.js";
import { PUBLIC } from "../../../src/application/shared/requirement.js";
import { UnitOfWorkBehaviour } from "../../../src/application/shared/unit-of-work-behaviour.js";
import type { Written } from "../../../src/application/shared/written.js";
import { DomainError } from "../../../src/domain/shared/domain-error.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { SequentialIds } from "../../support/sequential-ids.js";
import { suite } from "../../support/uvu.js";

/**
 * The audit behaviour in the command pipeline as keel composes it — after the unit of work, so inside
 * its transaction — on the memory store: what one successful command leaves, and what a failed one,
 * a retried one and one that opens its own unit of work leave.
 */

const ALICE: ExecutionContext = {
  principal: { kind: "user", userId: "alice", roles: [], permissions: new Set() },
  correlationId: "request-1",
};

const counters: TableDefinition<{ readonly value: number }> = { name: "counter" };

/** Increments a counter row. */
class Increment extends Command<Written> {}

/** Increments it too, but its first attempt read the row before another writer moved it. */
class IncrementStale extends Command<Written> {}

class Ping extends Command<void> {}

class Refuse extends Command<void> {}

class Slow extends Command<Written> {}

class Refused extends DomainError {
  readonly code = "REFUSED";
}

interface Context {
  db: MemoryDatabase;
  bus: MessageBus<Command<unknown>>;
  entries: MemoryAuditReadModel;
  attempts: number;
}

const audit = suite<Context>("command audit");

audit.before.each((context) => {
  const db = new MemoryDatabase(() => crypto.randomUUID());
  const unitOfWork = new MemoryUnitOfWork(db);
  const bus = new MessageBus<Command<unknown>>([
    new UnitOfWorkBehaviour(unitOfWork),
    new CommandAudit(new MemoryAuditTrail(db), unitOfWork, new FixedClock(), new SequentialIds()),
  ]);
  context.db = db;
  context.bus = bus;
  context.entries = new MemoryAuditReadModel(db);
  context.attempts = 0;
  const increment = (expected: () => number): Handler<Command<Written>> => ({
    requires: PUBLIC,
    handle: async () => {
      context.attempts++;
      const version = expected();
      db.write(counters, "c1", version, { version: version + 1, value: { value: version + 1 } }, []);
      return { id: "c1", version: version + 1 };
    },
  });
  const current = () => db.read(counters, "c1")?.version ?? 0;
  bus.register(Increment, increment(current));
  bus.register(
    IncrementStale,
    increment(() => (context.attempts === 1 ? 0 : current())),
  );
  bus.register(Ping, { requires: PUBLIC, handle: async () => {} });
  bus.register(Refuse, {
    requires: PUBLIC,
    handle: async () => {
      throw new Refused("not today");
    },
  });
  bus.register(Slow, {
    requires: PUBLIC,
    ownsTransaction: true,
    handle: async () =>
      unitOfWork.run({ correlationId: "x", principal: "anonymous" }, async () => ({ id: "s1", version: 1 })),
  });
});

const everything = { order: "asc", page: 1, pageSize: 100 } as const;

audit(
  "given a command that writes an aggregate, when it succeeds, then one entry names it, its sender, its request and the aggregate",
  async ({ bus, entries }) => {
    await bus.dispatch(new Increment(ALICE));

    assert.equal((await entries.list(everything)).items, [
      {
        id: "00000000-0000-4000-8000-000000000001",
        message: "Increment",
        principal: "user:alice",
        correlationId: "request-1",
        aggregateId: "c1",
        recordedAt: "2026-01-01T00:00:00.000Z",
      },
    ]);
  },
);

audit(
  "given a command whose result names no aggregate, when it succeeds, then its entry has no aggregate id",
  async ({ bus, entries }) => {
    await bus.dispatch(new Ping({ principal: { kind: "system", name: "cli" }, correlationId: "job-7" }));

    const [entry] = (await entries.list(everything)).items;
    assert.is(entry?.principal, "system:cli");
    assert.is(entry?.aggregateId, undefined);
  },
);

audit(
  "given a command its handler refuses, when it fails, then nothing is recorded",
  async ({ bus, entries }) => {
    try {
      await bus.dispatch(new Refuse(ALICE));
      assert.unreachable("the command succeeded");
    } catch (error) {
      assert.instance(error, Refused);
    }

    assert.is((await entries.list(everything)).total, 0);
  },
);

audit(
  "given a command whose first commit meets a concurrency conflict, when it is retried and succeeds, then exactly one entry is recorded",
  async (context) => {
    const { bus, db, entries } = context;
    await db.transaction({ correlationId: "another writer", principal: "anonymous" }, async () => {
      db.write(counters, "c1", 0, { version: 1, value: { value: 1 } }, []);
    });

    await bus.dispatch(new IncrementStale(ALICE));

    assert.is(context.attempts, 2, "the first attempt's commit conflicted, the second committed");
    assert.is(db.read(counters, "c1")?.version, 2);
    assert.is((await entries.list(everything)).total, 1);
  },
);

audit(
  "given a handler that opens its own unit of work, when it succeeds, then its entry is recorded in one of its own",
  async ({ bus, entries }) => {
    await bus.dispatch(new Slow(ALICE));

    const [entry] = (await entries.list(everything)).items;
    assert.is(entry?.message, "Slow");
    assert.is(entry?.aggregateId, "s1");
  },
);

audit.run();

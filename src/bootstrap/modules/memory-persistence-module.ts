import { MemoryJobQueue } from "../../adapters/jobs/memory/memory-job-queue.js";
import { MemoryJobSchedules } from "../../adapters/jobs/memory/memory-job-schedules.js";
import { MemoryJobs } from "../../adapters/jobs/memory/memory-jobs.js";
import { MemoryDatabase } from "../../adapters/memory/memory-database.js";
import { MemoryEventLog } from "../../adapters/memory/memory-event-log.js";
import { MemoryIdempotencyKeys } from "../../adapters/memory/memory-idempotency-keys.js";
import { MemoryInbox } from "../../adapters/memory/memory-inbox.js";
import {
  InProcessRelayLease,
  MemoryLogWatcher,
  MemoryRelayCheckpoints,
} from "../../adapters/memory/memory-relay-state.js";
import { MemoryUnitOfWork } from "../../adapters/memory/memory-unit-of-work.js";
import { Clock } from "../../ports/clock.js";
import { EventLog } from "../../ports/event-log.js";
import { IdGenerator } from "../../ports/id-generator.js";
import { IdempotencyKeys } from "../../ports/idempotency-keys.js";
import { Inbox } from "../../ports/inbox.js";
import { JobQueue } from "../../ports/job-queue.js";
import { JobSchedules } from "../../ports/job-schedules.js";
import { Jobs } from "../../ports/jobs.js";
import { LogWatcher, RelayCheckpoints, RelayLease } from "../../ports/relay-state.js";
import { UnitOfWork } from "../../ports/unit-of-work.js";
import { Tokens } from "../tokens.js";
import { bindAdapter } from "./handler-registration.js";
import type { Module } from "./module.js";

/** PERSISTENCE__DRIVER=memory: everything in process, gone on restart. For tests and quick starts. */
export const memoryPersistenceModule: Module = (container) => {
  container
    .bind(Tokens.MemoryDatabase)
    .toResolvedValue((ids: IdGenerator) => new MemoryDatabase(() => ids.next()), [IdGenerator]);
  container
    .bind(UnitOfWork)
    .toResolvedValue((db: MemoryDatabase) => new MemoryUnitOfWork(db), [Tokens.MemoryDatabase]);
  container
    .bind(EventLog)
    .toResolvedValue((db: MemoryDatabase) => new MemoryEventLog(db), [Tokens.MemoryDatabase]);
  container.bind(IdempotencyKeys).toResolvedValue(() => new MemoryIdempotencyKeys());
  container.bind(Inbox).toResolvedValue((db: MemoryDatabase) => new MemoryInbox(db), [Tokens.MemoryDatabase]);
  container.bind(RelayCheckpoints).toResolvedValue(() => new MemoryRelayCheckpoints());
  container.bind(RelayLease).toResolvedValue(() => new InProcessRelayLease());
  container
    .bind(LogWatcher)
    .toResolvedValue((db: MemoryDatabase) => new MemoryLogWatcher(db), [Tokens.MemoryDatabase]);
  bindAdapter(container, Jobs, MemoryJobs, [Tokens.MemoryDatabase, Clock, IdGenerator]);
  bindAdapter(container, JobQueue, MemoryJobQueue, [Tokens.MemoryDatabase, Clock]);
  bindAdapter(container, JobSchedules, MemoryJobSchedules, [Tokens.MemoryDatabase, Clock, IdGenerator]);
};

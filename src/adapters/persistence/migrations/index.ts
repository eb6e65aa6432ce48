import type { MigrationSources } from "../kysely/migrations.js";
import * as events from "./2026-11-24T0200-events.js";
import * as messaging from "./2026-11-24T0300-messaging.js";
import * as idempotencyKeys from "./2026-11-30T0800-idempotency-keys.js";
import * as jobs from "./2026-11-30T0900-jobs.js";

/** The foundation's own tables: the event log (the outbox), relay checkpoints, the inbox, idempotency keys. */
export const foundationMigrations: MigrationSources = {
  "2026-11-24T0200-events": events,
  "2026-11-24T0300-messaging": messaging,
  "2026-11-30T0800-idempotency-keys": idempotencyKeys,
  "2026-11-30T0900-jobs": jobs,
};

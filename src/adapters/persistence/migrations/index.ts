import type { MigrationSources } from "../kysely/migrations.js";
import * as events from "./2026-11-24T0200-events.js";
import * as messaging from "./2026-11-24T0300-messaging.js";

/** The foundation's own tables: the event log (the outbox), relay checkpoints and the inbox. */
export const foundationMigrations: MigrationSources = {
  "2026-11-24T0200-events": events,
  "2026-11-24T0300-messaging": messaging,
};

import { type Kysely, sql } from "kysely";

/**
 * Background jobs and their recurring schedules (the Jobs port). Workers claim due rows with
 * `FOR UPDATE SKIP LOCKED`: the partial indexes hold only what a claim looks at — jobs waiting for
 * their time, and running ones, by lease expiry — so finished jobs cost a claim nothing. A dedupe key
 * is unique per type among pending jobs only: once its job finishes, the key is free again. The
 * checks keep every store's rows to what the adapters write. A new job NOTIFYs keel_jobs at commit,
 * so a worker listening on PostgreSQL claims it at once instead of at its next poll.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("jobs")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("payload", "jsonb", (c) => c.notNull())
    .addColumn("dedupe_key", "text")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("max_attempts", "integer", (c) => c.notNull())
    .addColumn("backoff_ms", "integer", (c) => c.notNull())
    .addColumn("max_backoff_ms", "integer", (c) => c.notNull())
    .addColumn("run_at", "timestamptz", (c) => c.notNull())
    .addColumn("lease_expires_at", "timestamptz")
    .addColumn("claimed_by", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .addCheckConstraint(
      "jobs_state",
      sql`state in ('queued', 'running', 'failed', 'succeeded', 'dead', 'cancelled')`,
    )
    .addCheckConstraint("jobs_attempts", sql`attempts >= 0 and max_attempts >= 1`)
    .addCheckConstraint("jobs_backoff", sql`backoff_ms >= 0 and max_backoff_ms >= backoff_ms`)
    .addCheckConstraint("jobs_lease", sql`(state = 'running') = (lease_expires_at is not null)`)
    .execute();
  await sql`create index jobs_due on jobs (run_at) where state in ('queued', 'failed')`.execute(db);
  await sql`create index jobs_leases on jobs (lease_expires_at) where state = 'running'`.execute(db);
  await sql`create unique index jobs_pending_dedupe on jobs (type, dedupe_key)
    where state in ('queued', 'running', 'failed')`.execute(db);
  await db.schema.createIndex("jobs_by_state").on("jobs").columns(["state", "updated_at"]).execute();
  await sql`
    create function keel_notify_jobs() returns trigger language plpgsql as $$
    begin
      perform pg_notify('keel_jobs', '');
      return null;
    end $$`.execute(db);
  await sql`
    create trigger jobs_notify after insert on jobs
    for each statement execute function keel_notify_jobs()`.execute(db);

  await db.schema
    .createTable("job_schedules")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("cron", "text", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("job_type", "text", (c) => c.notNull())
    .addColumn("payload", "jsonb", (c) => c.notNull())
    .addColumn("max_attempts", "integer", (c) => c.notNull())
    .addColumn("backoff_ms", "integer", (c) => c.notNull())
    .addColumn("max_backoff_ms", "integer", (c) => c.notNull())
    .addColumn("next_run_at", "timestamptz", (c) => c.notNull())
    .addColumn("last_fired_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("job_schedules").execute();
  await db.schema.dropTable("jobs").execute();
  await sql`drop function keel_notify_jobs()`.execute(db);
}

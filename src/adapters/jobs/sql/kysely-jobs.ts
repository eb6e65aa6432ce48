import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../../../ports/clock.js";
import type { IdGenerator } from "../../../ports/id-generator.js";
import type {
  Enqueued,
  EnqueueOptions,
  JobChange,
  JobFilter,
  JobRecord,
  JobState,
  JobStats,
  Jobs,
  JobType,
} from "../../../ports/jobs.js";
import type { Database } from "../../persistence/kysely/database.js";
import type { TransactionScope } from "../../persistence/kysely/transaction-scope.js";
import { isJobId, newJob } from "../new-job.js";
import type { JobsTable } from "./job-tables.js";
import { insertJob, jobRecord } from "./sql-job-rows.js";

/**
 * Jobs in PostgreSQL or PGlite. Inside a unit of work every statement joins its transaction (the job
 * is committed with the change that wanted it); outside one, each is its own.
 */
export class KyselyJobs implements Jobs {
  constructor(
    private readonly scope: TransactionScope,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  enqueue<T>(type: JobType<T>, payload: T, options: EnqueueOptions = {}): Promise<Enqueued> {
    const now = this.clock.now();
    const job = newJob(type, payload, options, now);
    return insertJob(this.scope.reader(), this.ids.next(), now, job);
  }

  async get(id: string): Promise<JobRecord | undefined> {
    if (!isJobId(id)) return undefined;
    const row = await this.scope
      .reader()
      .selectFrom("jobs")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row === undefined ? undefined : jobRecord(row);
  }

  async list(filter: JobFilter): Promise<JobRecord[]> {
    let query = this.scope.reader().selectFrom("jobs").selectAll();
    if (filter.state !== undefined) query = query.where("state", "=", filter.state);
    if (filter.type !== undefined) query = query.where("type", "=", filter.type);
    const rows = await query
      .orderBy("updated_at", "desc")
      .orderBy("id", "desc")
      .limit(filter.limit)
      .execute();
    return rows.map(jobRecord);
  }

  /** A job whose dedupe key another pending job holds now is refused: running it too would run the key twice. */
  async retry(id: string): Promise<JobChange> {
    const now = this.clock.now();
    return this.change(id, (db) =>
      db
        .updateTable("jobs")
        .set({ state: "queued", attempts: 0, run_at: now, lease_expires_at: null, updated_at: now })
        .where("id", "=", id)
        .where("state", "in", ["failed", "dead", "cancelled"])
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("jobs as holder")
                .select("holder.id")
                .whereRef("holder.type", "=", "jobs.type")
                .whereRef("holder.dedupe_key", "=", "jobs.dedupe_key")
                .where("holder.state", "in", ["queued", "running", "failed"])
                .whereRef("holder.id", "<>", "jobs.id"),
            ),
          ),
        )
        .returningAll()
        .executeTakeFirst(),
    );
  }

  async cancel(id: string): Promise<JobChange> {
    const now = this.clock.now();
    return this.change(id, (db) =>
      db
        .updateTable("jobs")
        .set({ state: "cancelled", updated_at: now })
        .where("id", "=", id)
        .where("state", "in", ["queued", "failed", "dead"])
        .returningAll()
        .executeTakeFirst(),
    );
  }

  async stats(): Promise<JobStats> {
    const now = this.clock.now();
    const db = this.scope.reader();
    const counts = await db
      .selectFrom("jobs")
      .select(["state", (eb) => eb.fn.countAll<string>().as("count")])
      .where("state", "in", ["queued", "running", "failed", "dead"])
      .groupBy("state")
      .execute();
    const oldest = await db
      .selectFrom("jobs")
      .select((eb) => eb.fn.min("run_at").as("run_at"))
      .where("state", "in", ["queued", "failed"])
      .where("run_at", "<=", now)
      .executeTakeFirstOrThrow();
    const count = (state: JobState) => Number(counts.find((row) => row.state === state)?.count ?? 0);
    const oldestDue = oldest.run_at as Date | null;
    return {
      queued: count("queued"),
      running: count("running"),
      failed: count("failed"),
      dead: count("dead"),
      oldestDueSeconds: oldestDue === null ? 0 : (now.getTime() - oldestDue.getTime()) / 1000,
    };
  }

  async purgeFinished(before: Date): Promise<number> {
    const result = await this.scope
      .reader()
      .deleteFrom("jobs")
      .where("state", "in", ["succeeded", "cancelled"])
      .where("updated_at", "<", before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** One conditional update; when it changes nothing, the job is read to tell missing from refused. */
  private async change(
    id: string,
    update: (db: Kysely<Database>) => Promise<Selectable<JobsTable> | undefined>,
  ): Promise<JobChange> {
    if (!isJobId(id)) return { outcome: "not-found" };
    const changed = await update(this.scope.reader());
    if (changed !== undefined) return { outcome: "changed", job: jobRecord(changed) };
    const job = await this.get(id);
    return job === undefined ? { outcome: "not-found" } : { outcome: "refused", job };
  }
}

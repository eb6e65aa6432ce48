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
import type { MemoryDatabase } from "../../memory/memory-database.js";
import { standaloneWrite } from "../../memory/standalone-write.js";
import { isJobId, newJob } from "../new-job.js";
import {
  dedupeKeyOf,
  dedupeKeysTable,
  insertJob,
  isPending,
  type JobRow,
  jobRecord,
  jobsTable,
  updateJob,
} from "./memory-job-rows.js";

/**
 * Jobs in the memory store (tests, development without services), behaving as the SQL store does
 * (one contract suite runs over both): enqueued inside a unit of work, a job is committed or rolled
 * back with it; every change locks the job's row first, as an SQL update would.
 */
export class MemoryJobs implements Jobs {
  constructor(
    private readonly db: MemoryDatabase,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  enqueue<T>(type: JobType<T>, payload: T, options: EnqueueOptions = {}): Promise<Enqueued> {
    const now = this.clock.now();
    const job = newJob(type, payload, options, now);
    return standaloneWrite(this.db, () => insertJob(this.db, this.ids.next(), now, job));
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const row = isJobId(id) ? this.db.read(jobsTable, id.toLowerCase()) : undefined;
    return row === undefined ? undefined : jobRecord(row.value);
  }

  async list(filter: JobFilter): Promise<JobRecord[]> {
    return this.all()
      .filter((job) => filter.state === undefined || job.state === filter.state)
      .filter((job) => filter.type === undefined || job.type === filter.type)
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || (a.id < b.id ? 1 : -1))
      .slice(0, filter.limit)
      .map(jobRecord);
  }

  retry(id: string): Promise<JobChange> {
    return this.change(id, ["failed", "dead", "cancelled"], async (row, version, now) => {
      if (row.dedupeKey !== null) {
        const key = dedupeKeyOf(row.type, row.dedupeKey);
        await this.db.lock(dedupeKeysTable, key);
        const pointer = this.db.read(dedupeKeysTable, key);
        const holder = pointer === undefined ? undefined : this.db.read(jobsTable, pointer.value.jobId);
        if (holder !== undefined && holder.value.id !== row.id && isPending(holder.value.state))
          return undefined;
        const at = pointer?.version ?? 0;
        this.db.write(dedupeKeysTable, key, at, { version: at + 1, value: { jobId: row.id } }, []);
      }
      return updateJob(this.db, version, row, {
        state: "queued",
        attempts: 0,
        runAt: now,
        leaseExpiresAt: null,
        updatedAt: now,
      });
    });
  }

  cancel(id: string): Promise<JobChange> {
    return this.change(id, ["queued", "failed", "dead"], async (row, version, now) =>
      updateJob(this.db, version, row, { state: "cancelled", updatedAt: now }),
    );
  }

  async stats(): Promise<JobStats> {
    const now = this.clock.now().getTime();
    const count = (state: JobState) => this.all().filter((job) => job.state === state).length;
    const due = this.all()
      .filter((job) => (job.state === "queued" || job.state === "failed") && job.runAt.getTime() <= now)
      .map((job) => job.runAt.getTime());
    return {
      queued: count("queued"),
      running: count("running"),
      failed: count("failed"),
      dead: count("dead"),
      oldestDueSeconds: due.length === 0 ? 0 : (now - Math.min(...due)) / 1000,
    };
  }

  purgeFinished(before: Date): Promise<number> {
    const finished = (job: JobRow) =>
      (job.state === "succeeded" || job.state === "cancelled") && job.updatedAt.getTime() < before.getTime();
    return standaloneWrite(this.db, async () => {
      let purged = 0;
      for (const candidate of this.all().filter(finished)) {
        await this.db.lock(jobsTable, candidate.id);
        const row = this.db.read(jobsTable, candidate.id);
        if (row === undefined || !finished(row.value)) continue;
        this.db.delete(jobsTable, candidate.id, row.version);
        purged++;
      }
      return purged;
    });
  }

  /**
   * Committed jobs. Lists and counts see what was committed; unlike SQL, not also what the caller's own
   * open unit of work staged (the memory store lists no staged rows). Reads by id see both, as SQL does.
   */
  private all(): JobRow[] {
    return [...this.db.rows(jobsTable)].map((row) => row.value);
  }

  /** Locks the job, and applies `apply` when its state is one of `from`; `undefined` from it refuses. */
  private change(
    id: string,
    from: readonly JobState[],
    apply: (row: JobRow, version: number, now: Date) => Promise<JobRow | undefined>,
  ): Promise<JobChange> {
    if (!isJobId(id)) return Promise.resolve({ outcome: "not-found" });
    const key = id.toLowerCase();
    return standaloneWrite(this.db, async () => {
      await this.db.lock(jobsTable, key);
      const row = this.db.read(jobsTable, key);
      if (row === undefined) return { outcome: "not-found" };
      const changed = from.includes(row.value.state)
        ? await apply(row.value, row.version, this.clock.now())
        : undefined;
      return changed === undefined
        ? { outcome: "refused", job: jobRecord(row.value) }
        : { outcome: "changed", job: jobRecord(changed) };
    });
  }
}

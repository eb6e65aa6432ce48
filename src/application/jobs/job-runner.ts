import type { Clock } from "../../ports/clock.js";
import { DependencyUnavailable } from "../../ports/dependency-unavailable.js";
import type { JobObserver, JobOutcome } from "../../ports/job-observer.js";
import type { ClaimedJob, JobQueue } from "../../ports/job-queue.js";
import type { JobSchedules } from "../../ports/job-schedules.js";
import type { Logger } from "../../ports/logger.js";
import { InterruptiblePause } from "../shared/interruptible-pause.js";
import { type JobHandler, PermanentJobFailure } from "./job-handler.js";

export interface JobRunnerSettings {
  /** Jobs this runner runs at once. */
  readonly concurrency: number;
  /** Longest wait before looking for due jobs (and firing due schedules) again. */
  readonly pollMs: number;
  /** How long a claim holds; renewed every third of it while the job runs. */
  readonly leaseMs: number;
  /**
   * On stop, how long jobs in flight get to finish; then they are asked to stop (their signal aborts)
   * and get as long again. One still running after that keeps its claim until the lease runs out.
   */
  readonly stopTimeoutMs: number;
  /** Names this runner in claims, for operators: host, process, role. */
  readonly worker: string;
}

/** What this runner did since it started, and what it runs now. */
export interface JobRunnerStats {
  readonly running: number;
  readonly concurrency: number;
  readonly finished: Readonly<Record<JobOutcome, number>>;
}

/** The signal's reason when the runner stops: the handler's failure after it is not the job's fault. */
class RunnerStopping extends Error {
  constructor() {
    super("the job runner is stopping");
    this.name = "RunnerStopping";
  }
}

class LeaseLost extends Error {
  constructor(jobId: string) {
    super(`job ${jobId}: the claim on it was lost; another worker may run it now`);
    this.name = "LeaseLost";
  }
}

interface InFlight {
  readonly claim: ClaimedJob;
  readonly controller: AbortController;
  readonly done: Promise<void>;
  /** Stops renewing the lease: for a job the runner stops waiting for, so the lease can run out. */
  abandon(): void;
}

/** The longest a failing round waits before the next (a database outage), whatever pollMs is. */
const MAX_RETRY_MS = 30_000;
/** A failure reason is kept whole up to this length. */
const REASON_MAX_LENGTH = 2000;

/**
 * Runs background jobs: claims due jobs of the types it has handlers for, up to `concurrency` at once,
 * renews each claim while its handler runs, and records how the attempt ended (done, failed for a
 * retry, dead, or given back). Fires due schedules into the queue as it polls. Several runners, in one
 * process or many, share a queue: the store hands each job to one of them.
 */
export class JobRunner {
  private readonly handlers = new Map<string, JobHandler<unknown>>();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly pause = new InterruptiblePause();
  private readonly finished: Record<JobOutcome, number> = {
    succeeded: 0,
    failed: 0,
    dead: 0,
    released: 0,
    lost: 0,
  };
  private running: Promise<void> | undefined;
  private stopping = false;
  /** A wake-up that came while a round ran: the next idle is skipped, so no new job waits a poll. */
  private woken = false;
  private lastFiring = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly queue: JobQueue,
    handlers: readonly JobHandler<unknown>[],
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly settings: JobRunnerSettings,
    private readonly schedules?: JobSchedules,
    private readonly observer?: JobObserver,
  ) {
    for (const handler of handlers) {
      if (this.handlers.has(handler.job.name))
        throw new Error(`two handlers for job type ${handler.job.name}`);
      this.handlers.set(handler.job.name, handler);
    }
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Looks for due jobs now rather than at the next poll (a job was enqueued, say). */
  wake(): void {
    this.woken = true;
    this.pause.interrupt();
  }

  stats(): JobRunnerStats {
    return {
      running: this.inFlight.size,
      concurrency: this.settings.concurrency,
      finished: { ...this.finished },
    };
  }

  /**
   * Claims nothing more, then lets the jobs in flight finish; past `stopTimeoutMs` asks them to stop
   * (a handler that does is given back, its attempt not counted), and past it again leaves the ones
   * still running to their leases, so stopping always ends.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.pause.interrupt();
    await this.running;
    if (await this.settledWithin(this.settings.stopTimeoutMs)) return;
    for (const job of this.inFlight.values()) job.controller.abort(new RunnerStopping());
    if (await this.settledWithin(this.settings.stopTimeoutMs)) return;
    const left = [...this.inFlight.values()];
    for (const job of left) job.abandon();
    this.logger.warn(
      { jobs: left.map((job) => job.claim.id) },
      "jobs still running at stop are left to their leases; another worker retries them when the leases run out",
    );
  }

  private async loop(): Promise<void> {
    const types = [...this.handlers.keys()];
    let failures = 0;
    while (!this.stopping) {
      // What was committed before this round starts, its claim sees.
      this.woken = false;
      try {
        await this.fireSchedules();
        const free = this.settings.concurrency - this.inFlight.size;
        const claimed =
          free > 0 && types.length > 0
            ? await this.queue.claim({
                types,
                limit: free,
                leaseMs: this.settings.leaseMs,
                worker: this.settings.worker,
              })
            : [];
        for (const claim of claimed) this.begin(claim);
        if (failures > 0) this.logger.info({ failedRounds: failures }, "job runner recovered");
        failures = 0;
        // A full batch suggests more are due: look again at once. Otherwise wait for the poll, a
        // wake-up, or a slot to free.
        if (claimed.length === 0 || claimed.length < free) await this.idle(this.settings.pollMs);
      } catch (error) {
        failures += 1;
        const retryMs = Math.min(this.settings.pollMs * 2 ** (failures - 1), MAX_RETRY_MS);
        // Through an outage the same failure repeats: the 1st, 2nd, 4th, 8th... say it goes on.
        const level = Number.isInteger(Math.log2(failures)) ? "error" : "debug";
        this.logger[level](
          { err: error, failedRounds: failures, retryMs },
          "job runner round failed; retrying",
        );
        await this.idle(retryMs);
      }
    }
  }

  /** A stop that came while the round ran is not missed: the pause only hears interrupts made during it. */
  private async idle(ms: number): Promise<void> {
    if (this.stopping || this.woken) return;
    await this.pause.wait(ms);
  }

  /** At most once per poll interval, however busy the runner is. */
  private async fireSchedules(): Promise<void> {
    if (this.schedules === undefined) return;
    const now = this.clock.now().getTime();
    if (now - this.lastFiring < this.settings.pollMs) return;
    this.lastFiring = now;
    for (const fired of await this.schedules.fireDue()) {
      this.logger.debug({ ...fired }, "schedule fired");
    }
  }

  private begin(claim: ClaimedJob): void {
    // By claim, not by job: once a lease has run out, this runner may claim the same job again while
    // its first attempt, told to stop, has not yet returned.
    const key = `${claim.id}#${claim.attempt}`;
    const controller = new AbortController();
    let leaseUntil = claim.leaseExpiresAt.getTime();
    // Renewed every third of the lease; when renewal keeps failing until the lease has run out, the
    // claim can no longer be vouched for, so the handler is asked to stop.
    const heartbeat = setInterval(
      () => {
        this.queue.extendLease(claim, this.settings.leaseMs).then(
          (until) => {
            if (until === undefined) controller.abort(new LeaseLost(claim.id));
            else leaseUntil = until.getTime();
          },
          (error: unknown) => {
            this.logger.debug({ err: error, job: claim.id }, "renewing a job's lease failed; trying again");
            if (this.clock.now().getTime() >= leaseUntil) controller.abort(new LeaseLost(claim.id));
          },
        );
      },
      Math.max(1, Math.floor(this.settings.leaseMs / 3)),
    );
    heartbeat.unref?.();
    const done = this.attempt(claim, controller.signal)
      .catch((error: unknown) => {
        // The store could not record the outcome (it is down): the lease runs out and the job is
        // claimed again, so it is retried rather than lost.
        this.logger.error(
          { err: error, job: claim.id, type: claim.type },
          "recording a job's outcome failed",
        );
      })
      .finally(() => {
        clearInterval(heartbeat);
        this.inFlight.delete(key);
        this.pause.interrupt();
      });
    this.inFlight.set(key, { claim, controller, done, abandon: () => clearInterval(heartbeat) });
  }

  private async attempt(claim: ClaimedJob, signal: AbortSignal): Promise<void> {
    const started = this.clock.now().getTime();
    const outcome = await this.outcomeOf(claim, signal);
    const seconds = (this.clock.now().getTime() - started) / 1000;
    this.finished[outcome] += 1;
    this.observer?.jobFinished(claim.type, outcome, seconds);
  }

  private async outcomeOf(claim: ClaimedJob, signal: AbortSignal): Promise<JobOutcome> {
    const handler = this.handlers.get(claim.type) as JobHandler<unknown>;
    const fields = { job: claim.id, type: claim.type, attempt: claim.attempt };
    const decoded = handler.job.payload.decode(claim.payload);
    if (decoded._tag === "Left") {
      const reason = `its payload does not match ${handler.job.payload.name}`;
      this.logger.error(fields, `job failed for good: ${reason}`);
      return this.failed(claim, reason, true);
    }
    try {
      await handler.handle(decoded.right, {
        jobId: claim.id,
        attempt: claim.attempt,
        maxAttempts: claim.maxAttempts,
        dueAt: claim.runAt,
        signal,
      });
    } catch (error) {
      if (signal.reason instanceof RunnerStopping) {
        this.logger.info(fields, "job stopped with the runner; given back");
        return (await this.queue.release(claim)) ? "released" : "lost";
      }
      if (error instanceof DependencyUnavailable) {
        // An outage is not the job's fault: given back for later, the attempt not counted.
        this.logger.warn({ ...fields, dependency: error.dependency }, "job met an outage; given back");
        const later = new Date(this.clock.now().getTime() + error.retryAfterSeconds * 1000);
        return (await this.queue.release(claim, later)) ? "released" : "lost";
      }
      return this.failed(claim, reasonOf(error), error instanceof PermanentJobFailure, error);
    }
    if (await this.queue.complete(claim)) {
      this.logger.debug(fields, "job done");
      return "succeeded";
    }
    this.logger.warn(fields, "job done, but its claim had been lost: another worker may have run it too");
    return "lost";
  }

  private async failed(
    claim: ClaimedJob,
    reason: string,
    permanent: boolean,
    error?: unknown,
  ): Promise<JobOutcome> {
    const outcome = await this.queue.fail(claim, { reason, permanent });
    const fields = { job: claim.id, type: claim.type, attempt: claim.attempt, err: error };
    if (outcome.state === "failed") {
      this.logger.warn(
        { ...fields, retryAt: outcome.retryAt.toISOString() },
        "job failed; it will be retried",
      );
    } else if (outcome.state === "dead") {
      this.logger.error(fields, "job failed for good; it is dead");
    } else {
      this.logger.warn(fields, "job failed, but its claim had been lost");
    }
    return outcome.state;
  }

  private async settledWithin(ms: number): Promise<boolean> {
    if (this.inFlight.size === 0) return true;
    const all = Promise.all([...this.inFlight.values()].map((job) => job.done));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const settled = await Promise.race([all.then(() => true), timeout]);
    clearTimeout(timer);
    return settled;
  }
}

/** A failure as stored: its message, bounded, in text every store keeps (a pair cut in two included). */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what PostgreSQL's text cannot hold
  return message.slice(0, REASON_MAX_LENGTH).replace(/[\u0000\p{Cs}]/gu, "\uFFFD");
}

import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { CacheObserver, CacheOutcome } from "../../ports/cache.js";
import type { JobObserver, JobOutcome } from "../../ports/job-observer.js";
import type { JobStats } from "../../ports/jobs.js";
import type { MessageObserver, MessageOutcome } from "../../ports/message-observer.js";

/** Latency buckets for an API: 5 ms to 10 s, denser where the SLO lives (100 ms – 1 s). */
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface PoolCounts {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

export interface CheckState {
  readonly name: string;
  readonly up: boolean;
}

/**
 * Every metric keel exports, in one registry per process (not prom-client's global one: tests run
 * several servers in one process). Labels are bounded by construction: route templates, status
 * classes, message and subscriber names, check and pool names — never ids, users or raw paths.
 * Gauges that read state (relay lag, health, pools) are computed at scrape time, so they are true
 * even when nothing else happens.
 */
export class KeelMetrics implements MessageObserver, JobObserver, CacheObserver {
  readonly registry = new Registry();

  private readonly httpRequests = new Counter({
    name: "keel_http_requests_total",
    help: "HTTP requests answered, by method, route template and status class.",
    labelNames: ["method", "route", "status_class"],
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: "keel_http_request_duration_seconds",
    help: "HTTP request duration in seconds, by method, route template and status class.",
    labelNames: ["method", "route", "status_class"],
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });
  private readonly messages = new Counter({
    name: "keel_bus_messages_total",
    help: "Commands and queries dispatched, by message name and outcome (ok, refused, unavailable, error).",
    labelNames: ["message", "outcome"],
    registers: [this.registry],
  });
  private readonly messageDuration = new Histogram({
    name: "keel_bus_message_duration_seconds",
    help: "Command and query duration in seconds, by message name and outcome.",
    labelNames: ["message", "outcome"],
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });
  private readonly published = new Counter({
    name: "keel_relay_published_total",
    help: "Events the relay published and the bus accepted.",
    registers: [this.registry],
  });
  private readonly publishFailures = new Counter({
    name: "keel_relay_publish_failures_total",
    help: "Events the relay failed to publish to the bus (each is retried).",
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({
    name: "keel_consumer_deliveries_total",
    help: "Event deliveries handled by subscribers, by subscriber and outcome (processed, failed: retried or dead-lettered).",
    labelNames: ["subscription", "outcome"],
    registers: [this.registry],
  });
  private readonly retries = new Counter({
    name: "keel_consumer_retries_total",
    help: "Failed deliveries the bus delivers to the subscriber again, by subscriber and cause (failure: with deliveries left; outage: a dependency is down, no delivery used up).",
    labelNames: ["subscription", "cause"],
    registers: [this.registry],
  });
  private readonly deadLetters = new Counter({
    name: "keel_consumer_dead_letters_total",
    help: "Events a subscriber gave up on and stored as dead letters.",
    labelNames: ["subscription"],
    registers: [this.registry],
  });

  private readonly rateLimitRefusals = new Counter({
    name: "keel_rate_limit_refusals_total",
    help: "Requests and sign-in attempts refused by a rate limit (429), by limit: ip, principal, expensive, login-username, login-ip.",
    labelNames: ["limit"],
    registers: [this.registry],
  });

  private readonly jobsFinished = new Counter({
    name: "keel_jobs_finished_total",
    help: "Job attempts this process finished, by job type and outcome (succeeded, failed: to be retried, dead, released: given back unrun, lost: the lease ran out).",
    labelNames: ["type", "outcome"],
    registers: [this.registry],
  });
  private readonly jobDuration = new Histogram({
    name: "keel_job_duration_seconds",
    help: "Job attempt duration in seconds, by job type and outcome.",
    labelNames: ["type", "outcome"],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
  private readonly cacheLookups = new Counter({
    name: "keel_cache_lookups_total",
    help: "Lookups of cached queries, by query name and outcome (hit; miss: computed and stored; error: the cache failed, computed uncached).",
    labelNames: ["query", "outcome"],
    registers: [this.registry],
  });

  /** Database pools by name ("write", "read"); the persistence adapter adds its pools as it opens them. */
  readonly pools = new Map<string, PoolCounts>();

  constructor(options: { readonly processDefaults?: boolean } = {}) {
    if (options.processDefaults ?? true) collectDefaultMetrics({ register: this.registry });
    this.watchPools(this.pools);
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status_class: `${Math.floor(status / 100)}xx` };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }

  observe(messageType: string, outcome: MessageOutcome, seconds: number): void {
    this.messages.inc({ message: messageType, outcome });
    this.messageDuration.observe({ message: messageType, outcome }, seconds);
  }

  publishAccepted(): void {
    this.published.inc();
  }

  publishFailed(): void {
    this.publishFailures.inc();
  }

  delivered(subscription: string, outcome: "processed" | "failed"): void {
    this.deliveries.inc({ subscription, outcome });
  }

  rateLimited(limit: string): void {
    this.rateLimitRefusals.inc({ limit });
  }

  cacheLookup(query: string, outcome: CacheOutcome): void {
    this.cacheLookups.inc({ query, outcome });
  }

  deadLettered(subscription: string): void {
    this.deadLetters.inc({ subscription });
  }

  retried(subscription: string, cause: "failure" | "outage"): void {
    this.retries.inc({ subscription, cause });
  }

  /** Outbox lag, read from the log at each scrape (a stuck relay has no rounds to report). */
  watchRelayLag(lag: () => Promise<{ readonly events: number; readonly seconds: number }>): void {
    new Gauge({
      name: "keel_outbox_events_behind",
      help: "Committed events not yet published by the relay.",
      registers: [this.registry],
      async collect() {
        this.set((await lag()).events);
      },
    });
    new Gauge({
      name: "keel_outbox_seconds_behind",
      help: "Age in seconds of the oldest event not yet published; 0 when caught up.",
      registers: [this.registry],
      async collect() {
        this.set((await lag()).seconds);
      },
    });
  }

  jobFinished(type: string, outcome: JobOutcome, seconds: number): void {
    this.jobsFinished.inc({ type, outcome });
    this.jobDuration.observe({ type, outcome }, seconds);
  }

  /**
   * The job queue across every worker and how late schedules are, read from the store at each scrape
   * (a queue nobody works on has no attempts to report).
   */
  watchJobs(stats: () => Promise<JobStats>, scheduleLagSeconds: () => Promise<number>): void {
    new Gauge({
      name: "keel_jobs",
      help: "Jobs by state, across every worker: queued, running, failed (waiting for a retry), dead.",
      labelNames: ["state"],
      registers: [this.registry],
      async collect() {
        const now = await stats();
        for (const state of ["queued", "running", "failed", "dead"] as const) this.set({ state }, now[state]);
      },
    });
    new Gauge({
      name: "keel_jobs_oldest_due_seconds",
      help: "How long the longest-waiting due job has waited for a worker, in seconds; 0 when none.",
      registers: [this.registry],
      async collect() {
        this.set((await stats()).oldestDueSeconds);
      },
    });
    new Gauge({
      name: "keel_job_schedule_lag_seconds",
      help: "How late the most overdue schedule firing not yet enqueued is, in seconds; 0 when none.",
      registers: [this.registry],
      async collect() {
        this.set(await scheduleLagSeconds());
      },
    });
  }

  /** One series per readiness check, 1 up and 0 down, probed at each scrape. */
  watchHealth(probe: () => Promise<readonly CheckState[]>): void {
    new Gauge({
      name: "keel_health_check_up",
      help: "Whether a readiness check passes (1) or fails (0), probed at scrape time.",
      labelNames: ["check"],
      registers: [this.registry],
      async collect() {
        for (const check of await probe()) this.set({ check: check.name }, check.up ? 1 : 0);
      },
    });
  }

  /** Connections of each database pool (write, read), read from the pool at each scrape. */
  private watchPools(pools: ReadonlyMap<string, PoolCounts>): void {
    const gauge = (name: string, help: string, read: (pool: PoolCounts) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ["pool"],
        registers: [this.registry],
        collect() {
          for (const [pool, counts] of pools) this.set({ pool }, read(counts));
        },
      });
    gauge("keel_db_pool_in_use", "Database connections checked out.", (p) => p.totalCount - p.idleCount);
    gauge("keel_db_pool_idle", "Database connections open and idle.", (p) => p.idleCount);
    gauge("keel_db_pool_waiting", "Queries waiting for a database connection.", (p) => p.waitingCount);
  }

  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

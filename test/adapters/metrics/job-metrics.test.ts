/**
 * The job counts of /metrics: the queue's states and lag read from the store at each scrape (real
 * memory adapters, a clock the test moves), and each attempt's outcome as the runner reports it.
 */
import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { MemoryJobQueue } from "../../../src/adapters/jobs/memory/memory-job-queue.js";
import { MemoryJobSchedules } from "../../../src/adapters/jobs/memory/memory-job-schedules.js";
import { MemoryJobs } from "../../../src/adapters/jobs/memory/memory-jobs.js";
import { MemoryDatabase } from "../../../src/adapters/memory/memory-database.js";
import { KeelMetrics } from "../../../src/adapters/metrics/keel-metrics.js";
import { sampled } from "../../support/exposition.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { test } from "../../support/uvu.js";
import { claimOf, MINUTE, oneShot, reminder, report } from "../jobs/job-types.js";

function store() {
  const clock = new FixedClock(new Date("2026-11-30T10:00:00.000Z"));
  const db = new MemoryDatabase(randomUUID);
  const ids = { next: randomUUID };
  const jobs = new MemoryJobs(db, clock, ids);
  const queue = new MemoryJobQueue(db, clock);
  const schedules = new MemoryJobSchedules(db, clock, ids);
  const metrics = new KeelMetrics({ processDefaults: false });
  metrics.watchJobs(
    () => jobs.stats(),
    () => schedules.lagSeconds(),
  );
  return { clock, jobs, queue, schedules, metrics };
}

test("given an empty queue, when scraped, then every state is 0 and nothing is late", async () => {
  const { metrics } = store();
  const text = await metrics.exposition();
  for (const state of ["queued", "running", "failed", "dead"])
    assert.is(sampled(text, "keel_jobs", { state }), 0, state);
  assert.is(sampled(text, "keel_jobs_oldest_due_seconds"), 0);
  assert.is(sampled(text, "keel_job_schedule_lag_seconds"), 0);
});

test("given queued, running, failed and dead jobs and a late schedule, when scraped, then each is counted", async () => {
  const { clock, jobs, queue, schedules, metrics } = store();
  await jobs.enqueue(reminder, { orderId: "a", note: "queued" });
  await jobs.enqueue(report, { day: "running" });
  await jobs.enqueue(oneShot, { day: "dead" });
  await jobs.enqueue(report, { day: "failed" }, { runAt: new Date(clock.now().getTime() + 1) });
  const [running] = await queue.claim(claimOf([report], 1, 24 * 60 * MINUTE));
  const [dying] = await queue.claim(claimOf([oneShot], 1));
  if (running === undefined || dying === undefined) throw new Error("nothing claimed");
  await queue.fail(dying, { reason: "no", permanent: false });
  clock.advance(MINUTE);
  const [failing] = await queue.claim(claimOf([report], 1));
  if (failing === undefined) throw new Error("the second report was not claimed");
  await queue.fail(failing, { reason: "later", permanent: false });
  await schedules.define({
    name: "hourly",
    cron: "0 * * * *",
    timeZone: "UTC",
    job: report,
    payload: { day: "x" },
  });
  clock.advance(90 * MINUTE);

  const text = await metrics.exposition();

  assert.is(sampled(text, "keel_jobs", { state: "queued" }), 1);
  assert.is(sampled(text, "keel_jobs", { state: "running" }), 1);
  assert.is(sampled(text, "keel_jobs", { state: "failed" }), 1);
  assert.is(sampled(text, "keel_jobs", { state: "dead" }), 1);
  assert.is(
    sampled(text, "keel_jobs_oldest_due_seconds"),
    91 * 60,
    "the queued reminder has waited 91 minutes",
  );
  assert.is(
    sampled(text, "keel_job_schedule_lag_seconds"),
    31 * 60,
    "at 11:31, the 11:00 firing is 31 minutes late",
  );
});

test("when the runner reports attempts, then they are counted and timed by type and outcome", async () => {
  const { metrics } = store();
  metrics.jobFinished("test.report", "succeeded", 0.2);
  metrics.jobFinished("test.report", "succeeded", 0.4);
  metrics.jobFinished("test.report", "dead", 1);

  const text = await metrics.exposition();

  assert.is(sampled(text, "keel_jobs_finished_total", { type: "test.report", outcome: "succeeded" }), 2);
  assert.is(sampled(text, "keel_jobs_finished_total", { type: "test.report", outcome: "dead" }), 1);
  assert.is(
    sampled(text, "keel_job_duration_seconds_count", { type: "test.report", outcome: "succeeded" }),
    2,
  );
});

test.run();

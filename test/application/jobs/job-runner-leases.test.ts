import * as assert from "uvu/assert";
import type { JobHandler } from "../../../src/application/jobs/job-handler.js";
import type { JobQueue } from "../../../src/ports/job-queue.js";
import { deferred } from "../../support/deferred.js";
import { eventually } from "../../support/eventually.js";
import { test } from "../../support/uvu.js";
import { runnerHarness, type Work, work } from "./runner-harness.js";

const MINUTE = 60_000;

/** A handler that starts, says so, and returns when the spec lets it (or never). */
function held() {
  const started = deferred();
  const release = deferred();
  const handler: JobHandler<Work> = {
    job: work,
    handle: async () => {
      started.resolve();
      await release.promise;
    },
  };
  return { handler, started: started.promise, finish: () => release.resolve() };
}

/** A handler that stops when its signal says so, as a long handler should. */
const cooperative: JobHandler<Work> = {
  job: work,
  handle: (_payload, { signal }) =>
    new Promise((_resolve, reject) =>
      signal.addEventListener("abort", () => reject(signal.reason), { once: true }),
    ),
};

test("given a job in flight, when the runner stops, then it waits for the job to finish, and the job succeeds", async () => {
  const job = held();
  const h = runnerHarness([job.handler]);
  const { job: enqueued } = await h.jobs.enqueue(work, { step: "in flight" });
  h.runner.start();
  await job.started;

  let stopped = false;
  const stopping = h.runner.stop().then(() => {
    stopped = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.is(stopped, false, "still waiting for the job");
  job.finish();
  await stopping;

  assert.is((await h.jobs.get(enqueued.id))?.state, "succeeded");
  assert.equal(h.finished, [{ type: "test.work", outcome: "succeeded" }]);
});

test("given a job that outlasts the stop timeout, its signal aborts; a handler that stops is given back, its attempt not counted", async () => {
  const h = runnerHarness([cooperative], { stopTimeoutMs: 10 });
  const { job } = await h.jobs.enqueue(work, { step: "long" });
  h.runner.start();
  await eventually(
    "the job to start",
    () => h.runner.stats().running,
    (n) => n === 1,
  );

  await h.runner.stop();

  const given = await h.jobs.get(job.id);
  assert.equal([given?.state, given?.attempts, given?.leaseExpiresAt], ["queued", 0, null]);
  assert.equal(h.finished, [{ type: "test.work", outcome: "released" }]);
  assert.ok(h.log.some((line) => line.message === "job stopped with the runner; given back"));
});

test("given a job that ignores its signal, stopping still ends: the job keeps its claim until the lease runs out, and another runner then retries it", async () => {
  const stubborn = held();
  const h = runnerHarness([stubborn.handler], { stopTimeoutMs: 10, leaseMs: 30_000 });
  const { job } = await h.jobs.enqueue(work, { step: "stubborn" });
  h.runner.start();
  await stubborn.started;

  await h.runner.stop();

  assert.is((await h.jobs.get(job.id))?.state, "running");
  const warning = h.log.find(
    (line) => line.level === "warn" && line.message.startsWith("jobs still running at stop"),
  );
  assert.equal(warning?.fields, { jobs: [job.id] });
  assert.equal(await h.queue.claim({ types: ["test.work"], limit: 1, leaseMs: 1000, worker: "next" }), []);
  h.clock.advance(30_000);
  const [retry] = await h.queue.claim({ types: ["test.work"], limit: 1, leaseMs: 1000, worker: "next" });
  assert.equal([retry?.id, retry?.attempt], [job.id, 2]);

  // When the abandoned handler does return at last, its claim changes nothing.
  stubborn.finish();
  await eventually(
    "the abandoned attempt to end",
    () => h.finished.length,
    (n) => n === 1,
  );
  assert.equal(h.finished, [{ type: "test.work", outcome: "lost" }]);
  assert.is((await h.jobs.get(job.id))?.claimedBy, "next");
});

test("given a job running longer than its lease, the runner renews the lease, so no other worker takes it", async () => {
  const job = held();
  // A lease of 90 ms (on the spec's clock) is renewed every 30 ms of real time; a long poll keeps this
  // runner from claiming its own job again once the clock has passed the lease.
  const h = runnerHarness([job.handler], { leaseMs: 90, pollMs: MINUTE });
  const { job: enqueued } = await h.jobs.enqueue(work, { step: "long" });
  h.runner.start();
  try {
    await job.started;
    h.clock.advance(MINUTE);
    const renewedPast = h.clock.now().getTime();
    await eventually(
      "the lease to be renewed",
      () => h.jobs.get(enqueued.id),
      (j) => (j?.leaseExpiresAt?.getTime() ?? 0) > renewedPast,
    );
    assert.equal(await h.queue.claim({ types: ["test.work"], limit: 1, leaseMs: 90, worker: "other" }), []);
  } finally {
    job.finish();
    await h.runner.stop();
  }
  const done = await h.jobs.get(enqueued.id);
  assert.equal([done?.state, done?.attempts], ["succeeded", 1], "renewed, never claimed again");
  assert.equal(h.finished, [{ type: "test.work", outcome: "succeeded" }]);
});

test("given another worker took the job after its lease ran out, the handler's signal aborts and the attempt ends as lost", async () => {
  let abortedWith: unknown;
  const h = runnerHarness(
    [
      {
        job: work,
        handle: (_payload, { signal }) =>
          new Promise((_resolve, reject) =>
            signal.addEventListener("abort", () => {
              abortedWith = signal.reason;
              reject(signal.reason);
            }),
          ),
      },
    ],
    { leaseMs: 90 },
  );
  const { job } = await h.jobs.enqueue(work, { step: "taken" });
  h.runner.start();
  try {
    await eventually(
      "the job to start",
      () => h.runner.stats().running,
      (n) => n === 1,
    );
    // The lease runs out on the clock, and another worker claims the job before the next renewal.
    h.clock.advance(MINUTE);
    const [taken] = await h.queue.claim({ types: ["test.work"], limit: 1, leaseMs: MINUTE, worker: "other" });
    assert.is(taken?.attempt, 2);
    await eventually(
      "the attempt to end",
      () => h.finished.length,
      (n) => n === 1,
    );
  } finally {
    await h.runner.stop();
  }
  assert.equal(h.finished, [{ type: "test.work", outcome: "lost" }]);
  assert.match(String(abortedWith), /LeaseLost: job .*: the claim on it was lost/);
  const current = await h.jobs.get(job.id);
  assert.equal([current?.state, current?.claimedBy, current?.attempts], ["running", "other", 2]);
});

/** The memory queue with one operation failing as a store that went away does. */
function failing(operation: "extendLease" | "complete") {
  return (queue: JobQueue): JobQueue => ({
    claim: (request) => queue.claim(request),
    complete: (job) =>
      operation === "complete" ? Promise.reject(new Error("connection lost")) : queue.complete(job),
    fail: (job, failure) => queue.fail(job, failure),
    release: (job, runAt) => queue.release(job, runAt),
    extendLease: (job, leaseMs) =>
      operation === "extendLease"
        ? Promise.reject(new Error("connection lost"))
        : queue.extendLease(job, leaseMs),
  });
}

test("given renewals failing until the lease has run out, the handler's signal aborts: the runner can no longer vouch for its claim", async () => {
  // A long poll, so this runner does not itself claim the job again once the lease has run out.
  const h = runnerHarness([cooperative], { leaseMs: 90, pollMs: MINUTE }, failing("extendLease"));
  const { job } = await h.jobs.enqueue(work, { step: "cut off" });
  h.runner.start();
  try {
    await eventually(
      "the job to start",
      () => h.runner.stats().running,
      (n) => n === 1,
    );
    h.clock.advance(MINUTE);
    await eventually(
      "the attempt to end",
      () => h.finished.length,
      (n) => n === 1,
    );
  } finally {
    await h.runner.stop();
  }
  assert.ok(h.log.some((line) => line.message === "renewing a job's lease failed; trying again"));
  const failed = await h.jobs.get(job.id);
  assert.equal([failed?.state, failed?.attempts], ["failed", 1]);
  assert.match(failed?.lastError ?? "", /^LeaseLost: /);
});

test("given the store failing to record an outcome, the runner logs it and the job keeps its claim, to be retried when the lease runs out", async () => {
  const h = runnerHarness([{ job: work, handle: async () => {} }], {}, failing("complete"));
  const { job } = await h.jobs.enqueue(work, { step: "unrecorded" });
  h.runner.start();
  try {
    await eventually(
      "the failure to be logged",
      () => h.log.find((line) => line.message === "recording a job's outcome failed"),
      (line) => line !== undefined,
    );
  } finally {
    await h.runner.stop();
  }
  assert.is((await h.jobs.get(job.id))?.state, "running");
  assert.equal(h.finished, []);
});

test.run();

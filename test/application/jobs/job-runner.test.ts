import * as assert from "uvu/assert";
import {
  type JobContext,
  type JobHandler,
  PermanentJobFailure,
} from "../../../src/application/jobs/job-handler.js";
import { JobRunner } from "../../../src/application/jobs/job-runner.js";
import { DependencyUnavailable } from "../../../src/ports/dependency-unavailable.js";
import type { JobQueue } from "../../../src/ports/job-queue.js";
import type { JsonValue } from "../../../src/ports/jobs.js";
import { deferred } from "../../support/deferred.js";
import { eventually } from "../../support/eventually.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { test } from "../../support/uvu.js";
import { recordingLogger, runnerHarness, type Work, work } from "./runner-harness.js";

function handler(handle: (payload: Work, context: JobContext) => Promise<void>): JobHandler<Work> {
  return { job: work, handle };
}

async function stateOf(harness: ReturnType<typeof runnerHarness>, id: string): Promise<string | undefined> {
  return (await harness.jobs.get(id))?.state;
}

test("given a due job, when the runner runs, then its handler gets the decoded payload and the attempt, and the job succeeds", async () => {
  const seen: { payload: Work; context: Omit<JobContext, "signal"> }[] = [];
  const h = runnerHarness([
    handler(async (payload, { signal: _signal, ...context }) => void seen.push({ payload, context })),
  ]);
  const { job } = await h.jobs.enqueue(work, { step: "one" });
  h.runner.start();
  try {
    await eventually(
      "the job to succeed",
      () => stateOf(h, job.id),
      (state) => state === "succeeded",
    );
  } finally {
    await h.runner.stop();
  }

  assert.equal(seen, [
    { payload: { step: "one" }, context: { jobId: job.id, attempt: 1, maxAttempts: 3, dueAt: job.runAt } },
  ]);
  assert.equal(h.finished, [{ type: "test.work", outcome: "succeeded" }]);
  assert.equal(h.runner.stats(), {
    running: 0,
    concurrency: 2,
    finished: { succeeded: 1, failed: 0, dead: 0, released: 0, lost: 0 },
  });
});

test("given five jobs and a concurrency of two, then never more than two run at once, and each finishing lets the next start", async () => {
  const gates = new Map<string, () => void>();
  let running = 0;
  let most = 0;
  const h = runnerHarness([
    handler(async (payload) => {
      running += 1;
      most = Math.max(most, running);
      const gate = deferred();
      gates.set(payload.step, gate.resolve);
      await gate.promise;
      running -= 1;
    }),
  ]);
  for (let n = 1; n <= 5; n++) await h.jobs.enqueue(work, { step: String(n) });
  h.runner.start();
  try {
    for (let finishedSoFar = 0; finishedSoFar < 5; finishedSoFar++) {
      const expected = Math.min(2, 5 - finishedSoFar);
      await eventually(
        "the next jobs to start",
        () => h.runner.stats().running,
        (n) => n === expected,
      );
      assert.is(running, expected);
      const step = [...gates.keys()][0] as string;
      gates.get(step)?.();
      gates.delete(step);
      await eventually(
        "a job to finish",
        () => h.runner.stats().finished.succeeded,
        (n) => n === finishedSoFar + 1,
      );
    }
  } finally {
    await h.runner.stop();
  }
  assert.is(most, 2);
});

test("given a handler that keeps failing, the job is retried by its type's policy and dead after its third attempt", async () => {
  const attempts: number[] = [];
  const h = runnerHarness([
    handler(async (_payload, { attempt }) => {
      attempts.push(attempt);
      throw new Error(`attempt ${attempt} failed`);
    }),
  ]);
  const { job } = await h.jobs.enqueue(work, { step: "flaky" });
  h.runner.start();
  try {
    for (let attempt = 1; attempt <= 2; attempt++) {
      await eventually(
        "the attempt to fail",
        () => h.finished.length,
        (n) => n === attempt,
      );
      const waiting = await h.jobs.get(job.id);
      assert.equal([waiting?.state, waiting?.lastError], ["failed", `Error: attempt ${attempt} failed`]);
      h.clock.advance(1000);
      h.runner.wake();
    }
    await eventually(
      "the job to be dead",
      () => stateOf(h, job.id),
      (state) => state === "dead",
    );
  } finally {
    await h.runner.stop();
  }
  assert.equal(attempts, [1, 2, 3]);
  assert.equal(
    h.finished.map((f) => f.outcome),
    ["failed", "failed", "dead"],
  );
  assert.ok(
    h.log.some((line) => line.level === "error" && line.message === "job failed for good; it is dead"),
  );
});

test("given a handler that throws PermanentJobFailure, the job is dead at once, attempts left or not", async () => {
  const h = runnerHarness([
    handler(async () => {
      throw new PermanentJobFailure("the order no longer exists");
    }),
  ]);
  const { job } = await h.jobs.enqueue(work, { step: "gone" });
  h.runner.start();
  try {
    await eventually(
      "the job to be dead",
      () => h.jobs.get(job.id),
      (j) => j?.state === "dead",
    );
  } finally {
    await h.runner.stop();
  }
  assert.is((await h.jobs.get(job.id))?.lastError, "PermanentJobFailure: the order no longer exists");
});

test("given a stored payload its handler's codec refuses (the type changed since), the job is dead naming the codec, and the handler never runs", async () => {
  let ran = false;
  const h = runnerHarness([
    handler(async () => {
      ran = true;
    }),
  ]);
  const loose = {
    ...work,
    payload: {
      name: "anything",
      encode: (value: JsonValue) => value,
      decode: () => ({ _tag: "Left" as const, left: [] }),
    },
  };
  const { job } = await h.jobs.enqueue(loose, { stage: 1 });
  h.runner.start();
  try {
    await eventually(
      "the job to be dead",
      () => h.jobs.get(job.id),
      (j) => j?.state === "dead",
    );
  } finally {
    await h.runner.stop();
  }
  assert.is(ran, false);
  assert.match(
    (await h.jobs.get(job.id))?.lastError ?? "",
    /^its payload does not match \{ step: string \}$/,
  );
});

test("given a handler that meets an outage, the job is given back for after the retry time, its attempt not counted", async () => {
  let calls = 0;
  const h = runnerHarness([
    handler(async () => {
      calls += 1;
      if (calls === 1) throw new DependencyUnavailable("database", 2);
    }),
  ]);
  const { job } = await h.jobs.enqueue(work, { step: "outage" });
  h.runner.start();
  try {
    await eventually(
      "the job to be given back",
      () => h.finished.length,
      (n) => n === 1,
    );
    const waiting = await h.jobs.get(job.id);
    assert.equal(
      [waiting?.state, waiting?.attempts, waiting?.runAt],
      ["queued", 0, new Date(h.clock.now().getTime() + 2000)],
    );
    h.clock.advance(2000);
    h.runner.wake();
    await eventually(
      "the job to succeed",
      () => stateOf(h, job.id),
      (state) => state === "succeeded",
    );
  } finally {
    await h.runner.stop();
  }
  assert.equal(
    h.finished.map((f) => f.outcome),
    ["released", "succeeded"],
  );
  assert.is((await h.jobs.get(job.id))?.attempts, 1);
});

test("given a schedule, when its time comes, the runner fires it and runs its job for that time", async () => {
  const due: Date[] = [];
  const h = runnerHarness([handler(async (_payload, { dueAt }) => void due.push(dueAt))]);
  await h.schedules.define({
    name: "work.hourly",
    cron: "0 * * * *",
    timeZone: "UTC",
    job: work,
    payload: { step: "s" },
  });
  h.runner.start();
  try {
    h.clock.advance(60 * 60_000);
    h.runner.wake();
    await eventually(
      "the scheduled job to run",
      () => due.length,
      (n) => n === 1,
    );
  } finally {
    await h.runner.stop();
  }
  assert.equal(due, [new Date("2026-05-04T09:00:00.000Z")]);
});

test("given the store failing, each round is retried and logged sparingly, and the runner carries on once it answers", async () => {
  let failures = 3;
  const h = runnerHarness(
    [handler(async () => {})],
    {},
    (queue): JobQueue => ({
      ...queue,
      claim: (request) => {
        if (failures-- > 0) return Promise.reject(new DependencyUnavailable("database", 2));
        return queue.claim(request);
      },
      complete: (job) => queue.complete(job),
      fail: (job, failure) => queue.fail(job, failure),
      release: (job, runAt) => queue.release(job, runAt),
      extendLease: (job, leaseMs) => queue.extendLease(job, leaseMs),
    }),
  );
  const { job } = await h.jobs.enqueue(work, { step: "after the outage" });
  h.runner.start();
  try {
    await eventually(
      "the job to succeed",
      () => stateOf(h, job.id),
      (state) => state === "succeeded",
    );
  } finally {
    await h.runner.stop();
  }
  assert.equal(
    h.log.filter((line) => line.message === "job runner round failed; retrying").map((line) => line.level),
    ["error", "error", "debug"],
  );
  assert.ok(h.log.some((line) => line.message === "job runner recovered" && line.fields.failedRounds === 3));
});

test("two handlers for one job type are refused when the runner is made", () => {
  const noop = handler(async () => {});
  assert.throws(
    () =>
      new JobRunner(
        runnerHarness([]).queue,
        [noop, noop] as JobHandler<unknown>[],
        new FixedClock(),
        recordingLogger([]),
        { concurrency: 1, pollMs: 5, leaseMs: 1000, stopTimeoutMs: 10, worker: "w" },
      ),
    /two handlers for job type test.work/,
  );
});

test("given a long poll, when a job is enqueued and the runner woken while a round runs, then the job runs at once, not a poll later", async () => {
  const ran: string[] = [];
  const during: { enqueue?: () => Promise<void> } = {};
  const h = runnerHarness(
    [handler(async (payload) => void ran.push(payload.step))],
    { pollMs: 60_000 },
    (queue) => ({
      ...queue,
      claim: async (request) => {
        const claimed = await queue.claim(request);
        // The notification of a job committed just after this claim looked arrives mid-round.
        const enqueue = during.enqueue;
        during.enqueue = undefined;
        await enqueue?.();
        return claimed;
      },
      complete: (job) => queue.complete(job),
      fail: (job, failure) => queue.fail(job, failure),
      release: (job, runAt) => queue.release(job, runAt),
      extendLease: (job, leaseMs) => queue.extendLease(job, leaseMs),
    }),
  );
  during.enqueue = async () => {
    await h.jobs.enqueue(work, { step: "late" });
    h.runner.wake();
  };
  h.runner.start();
  try {
    await eventually(
      "the job enqueued mid-round to run",
      () => ran,
      (steps) => steps.includes("late"),
    );
  } finally {
    await h.runner.stop();
  }
});

test.run();

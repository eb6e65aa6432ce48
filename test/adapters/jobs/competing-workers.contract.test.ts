import * as assert from "uvu/assert";
import type { JobHandler } from "../../../src/application/jobs/job-handler.js";
import { JobRunner } from "../../../src/application/jobs/job-runner.js";
import type { Logger } from "../../../src/ports/logger.js";
import { eventually } from "../../support/eventually.js";
import { jobsContract } from "./job-stores.js";
import { report } from "./job-types.js";

const JOBS = 1000;

const quiet: Logger = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => quiet,
  isLevelEnabled: () => false,
};

await jobsContract("Two job runners", (it, driver) => {
  const workers = driver === "postgres" ? "each with its own connection pool" : "sharing the one store";
  it(`given 1,000 jobs and two runners ${workers}, then every job runs exactly once, never two at a time, and both runners share the work`, async (store) => {
    const ids = await store.unitOfWork.run(
      { correlationId: "compete", principal: "system:test" },
      async () => {
        const enqueued: string[] = [];
        for (let n = 0; n < JOBS; n++)
          enqueued.push((await store.jobs.enqueue(report, { day: String(n) })).job.id);
        return enqueued;
      },
    );
    const runs = new Map<string, number>();
    const running = new Set<string>();
    const overlaps: string[] = [];
    const ranBy = { a: 0, b: 0 };
    const handler = (runner: "a" | "b"): JobHandler<unknown> => ({
      job: report,
      handle: async (_payload, { jobId }) => {
        if (running.has(jobId)) overlaps.push(jobId);
        running.add(jobId);
        runs.set(jobId, (runs.get(jobId) ?? 0) + 1);
        ranBy[runner] += 1;
        // Yield, so the two runners' jobs interleave as real work's would.
        await new Promise((resolve) => setImmediate(resolve));
        running.delete(jobId);
      },
    });
    const settings = { concurrency: 8, pollMs: 10, leaseMs: 10 * 60_000, stopTimeoutMs: 5_000 };
    const a = new JobRunner(store.queue, [handler("a")], store.clock, quiet, { ...settings, worker: "a" });
    const b = new JobRunner(store.otherWorker.queue, [handler("b")], store.clock, quiet, {
      ...settings,
      worker: "b",
    });
    a.start();
    b.start();
    try {
      await eventually(
        "both runners to finish 1,000 jobs",
        () => a.stats().finished.succeeded + b.stats().finished.succeeded,
        (done) => done === JOBS,
        120_000,
      );
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }

    assert.equal(overlaps, [], "no job ran twice at the same time");
    assert.is(runs.size, JOBS);
    assert.equal(
      ids.filter((id) => runs.get(id) !== 1),
      [],
      "each job ran exactly once",
    );
    assert.ok(ranBy.a > 0 && ranBy.b > 0, `both ran jobs (a ${ranBy.a}, b ${ranBy.b})`);
    assert.equal(await store.jobs.stats(), {
      queued: 0,
      running: 0,
      failed: 0,
      dead: 0,
      oldestDueSeconds: 0,
    });
    assert.is((await store.jobs.list({ state: "succeeded", limit: JOBS + 1 })).length, JOBS);
  });
});

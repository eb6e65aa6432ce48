import * as assert from "uvu/assert";
import type { ClaimedJob } from "../../../src/ports/job-queue.js";
import { jobsContract } from "./job-stores.js";
import { claimOf, MINUTE, ORDER, oneShot, reminder, report } from "./job-types.js";

const SECOND = 1000;
const LEASE = 30 * SECOND;

function only(claims: readonly ClaimedJob[]): ClaimedJob {
  assert.is(claims.length, 1, "one job claimed");
  return claims[0] as ClaimedJob;
}

await jobsContract("JobQueue", (it) => {
  it("given a job due in an hour, when workers claim before then, then it is not taken; at its time it is", async (store) => {
    const at = new Date(store.clock.now().getTime() + 60 * MINUTE);
    const { job } = await store.jobs.enqueue(reminder, { orderId: ORDER, note: "later" }, { runAt: at });

    assert.equal(await store.queue.claim(claimOf([reminder])), []);
    store.clock.advance(60 * MINUTE - 1);
    assert.equal(await store.otherWorker.queue.claim(claimOf([reminder])), []);
    store.clock.advance(1);
    const claim = only(await store.queue.claim(claimOf([reminder], 10, LEASE)));

    assert.equal(claim, {
      id: job.id,
      type: "test.reminder",
      payload: { orderId: ORDER, note: "later" },
      attempt: 1,
      maxAttempts: 5,
      runAt: at,
      leaseExpiresAt: new Date(at.getTime() + LEASE),
    });
  });

  it("a claim takes the longest-due jobs first, up to its limit, and only of the types it asks for", async (store) => {
    const ago = (minutes: number) => new Date(store.clock.now().getTime() - minutes * MINUTE);
    const oldest = await store.jobs.enqueue(report, { day: "oldest" }, { runAt: ago(2) });
    const older = await store.jobs.enqueue(report, { day: "older" }, { runAt: ago(1) });
    const newest = await store.jobs.enqueue(report, { day: "newest" });
    const other = await store.jobs.enqueue(
      reminder,
      { orderId: ORDER, note: "other type" },
      { runAt: ago(3) },
    );

    const first = await store.queue.claim(claimOf([report], 2));
    assert.equal(
      first.map((claim) => claim.id),
      [oldest.job.id, older.job.id],
    );
    assert.equal(
      (await store.queue.claim(claimOf([report], 2))).map((claim) => claim.id),
      [newest.job.id],
    );
    assert.is((await store.jobs.get(other.job.id))?.state, "queued");
    assert.is(only(await store.queue.claim(claimOf([reminder]))).id, other.job.id);
    assert.equal(await store.queue.claim({ ...claimOf([reminder]), types: [] }), []);
  });

  it("a claimed job runs for its claimer until its lease: no other claim takes it, and completing it makes it succeeded", async (store) => {
    const { job } = await store.jobs.enqueue(reminder, { orderId: ORDER, note: "" });
    const claim = only(await store.queue.claim(claimOf([reminder], 1, LEASE)));

    assert.equal(await store.otherWorker.queue.claim(claimOf([reminder])), []);
    const running = await store.jobs.get(job.id);
    assert.equal(
      [running?.state, running?.attempts, running?.claimedBy, running?.leaseExpiresAt],
      ["running", 1, "test-worker", new Date(store.clock.now().getTime() + LEASE)],
    );

    assert.is(await store.queue.complete(claim), true);
    const done = await store.jobs.get(job.id);
    assert.equal([done?.state, done?.leaseExpiresAt], ["succeeded", null]);
    assert.is(await store.queue.complete(claim), false, "completed once");
  });

  it("given a failing job, it is retried 1 s, 2 s and then 3 s (the longest wait) after each failure, never sooner, and is dead after its fourth attempt", async (store) => {
    const { job } = await store.jobs.enqueue(report, { day: "2026-03-01" });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const claim = only(await store.queue.claim(claimOf([report])));
      assert.is(claim.attempt, attempt);
      const outcome = await store.queue.fail(claim, { reason: `failure ${attempt}`, permanent: false });
      assert.is(outcome.state, "failed");
      const retryAt = outcome.state === "failed" ? outcome.retryAt.getTime() : Number.NaN;
      waits.push(retryAt - store.clock.now().getTime());
      const waiting = await store.jobs.get(job.id);
      assert.equal([waiting?.state, waiting?.lastError], ["failed", `failure ${attempt}`]);

      store.clock.advance(retryAt - store.clock.now().getTime() - 1);
      assert.equal(await store.otherWorker.queue.claim(claimOf([report])), [], "not before its retry time");
      store.clock.advance(1);
    }
    assert.equal(waits, [1 * SECOND, 2 * SECOND, 3 * SECOND]);

    const last = only(await store.queue.claim(claimOf([report])));
    assert.equal(await store.queue.fail(last, { reason: "failure 4", permanent: false }), { state: "dead" });
    const dead = await store.jobs.get(job.id);
    assert.equal([dead?.state, dead?.attempts, dead?.lastError], ["dead", 4, "failure 4"]);
    store.clock.advance(60 * MINUTE);
    assert.equal(await store.queue.claim(claimOf([report])), []);
  });

  it("a permanent failure is dead at once, with attempts left", async (store) => {
    const { job } = await store.jobs.enqueue(report, { day: "x" });
    const claim = only(await store.queue.claim(claimOf([report])));

    assert.equal(await store.queue.fail(claim, { reason: "no such day", permanent: true }), {
      state: "dead",
    });
    assert.equal((await store.jobs.get(job.id))?.state, "dead");
  });

  it("given a worker that claimed a job and crashed, the job is claimed again once the lease runs out, not before, and the crashed claim changes nothing after", async (store) => {
    const { job } = await store.jobs.enqueue(reminder, { orderId: ORDER, note: "crash" });
    const crashed = only(await store.queue.claim(claimOf([reminder], 1, LEASE)));

    store.clock.advance(LEASE - 1);
    assert.equal(await store.otherWorker.queue.claim(claimOf([reminder])), []);
    store.clock.advance(1);
    const retried = only(await store.otherWorker.queue.claim(claimOf([reminder], 1, LEASE)));
    assert.equal([retried.id, retried.attempt], [job.id, 2]);

    assert.is(await store.queue.complete(crashed), false);
    assert.equal(await store.queue.fail(crashed, { reason: "late", permanent: false }), { state: "lost" });
    assert.is(await store.queue.extendLease(crashed, LEASE), undefined);
    assert.is(await store.queue.release(crashed), false);
    assert.is((await store.jobs.get(job.id))?.state, "running", "still the second claim's");

    assert.is(await store.otherWorker.queue.complete(retried), true);
    const done = await store.jobs.get(job.id);
    assert.equal([done?.state, done?.attempts], ["succeeded", 2]);
  });

  it("given a job whose lease runs out on its last attempt, it is dead, not claimed again: a job that kills its worker cannot kill them all", async (store) => {
    const { job } = await store.jobs.enqueue(oneShot, { day: "poison" });
    only(await store.queue.claim(claimOf([oneShot], 1, LEASE)));
    store.clock.advance(LEASE);

    assert.equal(await store.otherWorker.queue.claim(claimOf([oneShot])), []);
    const dead = await store.jobs.get(job.id);
    assert.equal(
      [dead?.state, dead?.leaseExpiresAt, dead?.lastError],
      ["dead", null, "its lease ran out on attempt 1 of 1: the worker running it stopped"],
    );
  });

  it("a renewed lease keeps the job from being claimed at the old expiry; it is claimed again once the renewed one runs out", async (store) => {
    await store.jobs.enqueue(reminder, { orderId: ORDER, note: "long" });
    const claim = only(await store.queue.claim(claimOf([reminder], 1, LEASE)));

    store.clock.advance(20 * SECOND);
    const until = await store.queue.extendLease(claim, LEASE);
    assert.equal(until, new Date(store.clock.now().getTime() + LEASE));
    store.clock.advance(15 * SECOND);
    assert.equal(await store.otherWorker.queue.claim(claimOf([reminder])), [], "past the first lease");
    store.clock.advance(15 * SECOND);
    assert.is(only(await store.otherWorker.queue.claim(claimOf([reminder]))).attempt, 2);
  });

  it("a released job is given back unrun: due again (now or when asked), its attempt not counted, its failure kept", async (store) => {
    const { job } = await store.jobs.enqueue(report, { day: "d" });
    const first = only(await store.queue.claim(claimOf([report])));
    assert.is(await store.queue.release(first), true);
    const released = await store.jobs.get(job.id);
    assert.equal([released?.state, released?.attempts, released?.leaseExpiresAt], ["queued", 0, null]);

    const again = only(await store.queue.claim(claimOf([report])));
    assert.is(again.attempt, 1);
    await store.queue.fail(again, { reason: "flaky", permanent: false });
    store.clock.advance(SECOND);
    const retry = only(await store.queue.claim(claimOf([report])));
    const later = new Date(store.clock.now().getTime() + MINUTE);
    assert.is(await store.queue.release(retry, later), true);
    const waiting = await store.jobs.get(job.id);
    assert.equal(
      [waiting?.state, waiting?.attempts, waiting?.runAt, waiting?.lastError],
      ["failed", 1, later, "flaky"],
    );
    assert.equal(await store.queue.claim(claimOf([report])), []);
  });

  it("two workers claiming at once never take the same job", async (store) => {
    const enqueued = await store.unitOfWork.run(
      { correlationId: "race", principal: "system:test" },
      async () => {
        const ids: string[] = [];
        for (let n = 0; n < 300; n++) ids.push((await store.jobs.enqueue(report, { day: String(n) })).job.id);
        return ids;
      },
    );
    const taken: string[][] = [[], []];
    const drain = async (worker: 0 | 1) => {
      const queue = worker === 0 ? store.queue : store.otherWorker.queue;
      for (;;) {
        const claims = await queue.claim(claimOf([report], 7));
        if (claims.length === 0) return;
        for (const claim of claims) {
          taken[worker]?.push(claim.id);
          assert.ok(await queue.complete(claim));
        }
      }
    };
    await Promise.all([drain(0), drain(1), drain(0), drain(1)]);

    const all = [...(taken[0] ?? []), ...(taken[1] ?? [])];
    assert.is(all.length, 300, "300 claims in all");
    assert.equal(new Set(all), new Set(enqueued), "each job claimed once");
  });
});

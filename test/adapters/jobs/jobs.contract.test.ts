import * as assert from "uvu/assert";
import { InvalidJob, type JsonValue } from "../../../src/ports/jobs.js";
import { rejects } from "../../support/rejects.js";
import { jobsContract } from "./job-stores.js";
import { claimOf, MINUTE, ORDER, oneShot, reminder, report } from "./job-types.js";

const META = { correlationId: "jobs-contract", principal: "system:test" };

await jobsContract("Jobs", (it) => {
  it("when a job is enqueued, then it is queued for now with its payload, no attempt made, found by id and listed", async (store) => {
    const { job, deduplicated } = await store.jobs.enqueue(reminder, { orderId: ORDER, note: "pay soon" });

    assert.is(deduplicated, false);
    const now = store.clock.now();
    assert.equal(
      { ...job, id: "" },
      {
        id: "",
        type: "test.reminder",
        state: "queued",
        payload: { orderId: ORDER, note: "pay soon" },
        dedupeKey: null,
        attempts: 0,
        maxAttempts: 5,
        runAt: now,
        leaseExpiresAt: null,
        claimedBy: null,
        lastError: null,
        createdAt: now,
        updatedAt: now,
      },
    );
    assert.equal(await store.jobs.get(job.id), job);
    assert.equal(await store.jobs.list({ limit: 10 }), [job]);
    assert.equal(await store.jobs.list({ state: "dead", limit: 10 }), []);
  });

  it("given a pending job with a dedupe key, when the key is enqueued again, then that job is returned and none added; another type's key is its own", async (store) => {
    const first = await store.jobs.enqueue(reminder, { orderId: ORDER, note: "a" }, { dedupeKey: ORDER });
    store.clock.advance(MINUTE);
    const again = await store.jobs.enqueue(reminder, { orderId: ORDER, note: "b" }, { dedupeKey: ORDER });
    const otherType = await store.jobs.enqueue(report, { day: "2026-03-01" }, { dedupeKey: ORDER });

    assert.equal(again, { job: first.job, deduplicated: true });
    assert.is(otherType.deduplicated, false);
    assert.is((await store.jobs.list({ type: "test.reminder", limit: 10 })).length, 1);
  });

  it("given the job holding a dedupe key is running or waiting for a retry, when the key is enqueued again, then it is still that job", async (store) => {
    const { job } = await store.jobs.enqueue(report, { day: "d" }, { dedupeKey: "daily" });
    const [claim] = await store.queue.claim(claimOf([report]));
    assert.is(claim?.id, job.id);
    assert.is((await store.jobs.enqueue(report, { day: "d" }, { dedupeKey: "daily" })).job.id, job.id);

    await store.queue.fail(claim as NonNullable<typeof claim>, { reason: "boom", permanent: false });
    const waiting = await store.jobs.enqueue(report, { day: "d" }, { dedupeKey: "daily" });
    assert.equal([waiting.deduplicated, waiting.job.id, waiting.job.state], [true, job.id, "failed"]);
  });

  it("given the job holding a dedupe key has finished, when the key is enqueued again, then a new job takes it", async (store) => {
    const { job } = await store.jobs.enqueue(reminder, { orderId: ORDER, note: "" }, { dedupeKey: "k" });
    const [claim] = await store.queue.claim(claimOf([reminder]));
    assert.ok(claim !== undefined && (await store.queue.complete(claim)));

    const next = await store.jobs.enqueue(reminder, { orderId: ORDER, note: "" }, { dedupeKey: "k" });
    assert.is(next.deduplicated, false);
    assert.is.not(next.job.id, job.id);
  });

  it("when ten enqueues with one dedupe key race, then exactly one job exists and all ten name it", async (store) => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, n) =>
        store.jobs.enqueue(reminder, { orderId: ORDER, note: String(n) }, { dedupeKey: "race" }),
      ),
    );

    assert.is(new Set(results.map((r) => r.job.id)).size, 1);
    assert.is(results.filter((r) => !r.deduplicated).length, 1);
    assert.is((await store.jobs.list({ limit: 20 })).length, 1);
  });

  it("given a unit of work that enqueues and then fails, then there is no job; one that commits, then there is", async (store) => {
    await rejects(
      () =>
        store.unitOfWork.run(META, async () => {
          await store.jobs.enqueue(reminder, { orderId: ORDER, note: "rolled back" });
          throw new Error("the change that wanted the job failed");
        }),
      Error,
    );
    assert.equal(await store.jobs.list({ limit: 10 }), []);
    assert.equal(await store.queue.claim(claimOf([reminder])), []);

    const enqueued = await store.unitOfWork.run(META, async () => {
      const first = await store.jobs.enqueue(
        reminder,
        { orderId: ORDER, note: "kept" },
        { dedupeKey: "once" },
      );
      const second = await store.jobs.enqueue(
        reminder,
        { orderId: ORDER, note: "kept" },
        { dedupeKey: "once" },
      );
      assert.equal([second.deduplicated, second.job.id], [true, first.job.id]);
      return first.job;
    });
    assert.equal(await store.jobs.get(enqueued.id), enqueued);
  });

  it("given a dead job, when retried, then it is queued for now with a full set of attempts; a queued or running job is refused", async (store) => {
    const { job } = await store.jobs.enqueue(oneShot, { day: "d" });
    const [claim] = await store.queue.claim(claimOf([oneShot]));
    assert.equal(
      await store.queue.fail(claim as NonNullable<typeof claim>, { reason: "bad day", permanent: false }),
      {
        state: "dead",
      },
    );
    store.clock.advance(MINUTE);

    const retried = await store.jobs.retry(job.id);
    assert.is(retried.outcome, "changed");
    const again = await store.jobs.get(job.id);
    assert.equal(
      [again?.state, again?.attempts, again?.runAt, again?.lastError],
      ["queued", 0, store.clock.now(), "bad day"],
    );
    assert.equal(await store.jobs.retry(job.id), { outcome: "refused", job: again });
    await store.queue.claim(claimOf([oneShot]));
    assert.is((await store.jobs.retry(job.id)).outcome, "refused");
  });

  it("given a dead job whose dedupe key a newer pending job holds, when retried, then it is refused: the key would run twice", async (store) => {
    const { job } = await store.jobs.enqueue(oneShot, { day: "d" }, { dedupeKey: "k" });
    const [claim] = await store.queue.claim(claimOf([oneShot]));
    await store.queue.fail(claim as NonNullable<typeof claim>, { reason: "x", permanent: true });
    const newer = await store.jobs.enqueue(oneShot, { day: "d" }, { dedupeKey: "k" });
    assert.is(newer.deduplicated, false);

    const refused = await store.jobs.retry(job.id);
    assert.equal([refused.outcome, refused.outcome === "refused" && refused.job.state], ["refused", "dead"]);
    await store.jobs.cancel(newer.job.id);
    assert.is((await store.jobs.retry(job.id)).outcome, "changed");
  });

  it("given a queued job, when cancelled, then it is never claimed and frees its dedupe key; a running job cannot be cancelled", async (store) => {
    const queued = await store.jobs.enqueue(reminder, { orderId: ORDER, note: "" }, { dedupeKey: "k" });
    const cancelled = await store.jobs.cancel(queued.job.id);
    assert.equal(
      [cancelled.outcome, cancelled.outcome === "changed" && cancelled.job.state],
      ["changed", "cancelled"],
    );
    assert.equal(await store.queue.claim(claimOf([reminder])), []);
    assert.is(
      (await store.jobs.enqueue(reminder, { orderId: ORDER, note: "" }, { dedupeKey: "k" })).deduplicated,
      false,
    );

    const [running] = await store.queue.claim(claimOf([reminder]));
    assert.is((await store.jobs.cancel(running?.id ?? "")).outcome, "refused");
    assert.is((await store.jobs.cancel(queued.job.id)).outcome, "refused", "cancelled already");
  });

  it("given no such job, when it is read, retried or cancelled, then it is not found; an id that is not a UUID names no job", async (store) => {
    for (const id of ["0d7e0c1a-0000-4000-8000-000000000000", "not-a-uuid"]) {
      assert.is(await store.jobs.get(id), undefined);
      assert.equal(await store.jobs.retry(id), { outcome: "not-found" });
      assert.equal(await store.jobs.cancel(id), { outcome: "not-found" });
    }
  });

  it("stats count jobs by state and say how long the longest-due job has waited", async (store) => {
    assert.equal(await store.jobs.stats(), {
      queued: 0,
      running: 0,
      failed: 0,
      dead: 0,
      oldestDueSeconds: 0,
    });
    await store.jobs.enqueue(report, { day: "1" });
    await store.jobs.enqueue(report, { day: "2" });
    await store.jobs.enqueue(oneShot, { day: "3" });
    await store.jobs.enqueue(
      report,
      { day: "later" },
      { runAt: new Date(store.clock.now().getTime() + 60 * MINUTE) },
    );
    store.clock.advance(2 * MINUTE);
    const [failing, running] = await store.queue.claim(claimOf([report], 2));
    await store.queue.fail(failing as NonNullable<typeof failing>, { reason: "x", permanent: false });
    const [dying] = await store.queue.claim(claimOf([oneShot]));
    await store.queue.fail(dying as NonNullable<typeof dying>, { reason: "x", permanent: false });

    assert.ok(running !== undefined);
    assert.equal(await store.jobs.stats(), {
      queued: 1,
      running: 1,
      failed: 1,
      dead: 1,
      oldestDueSeconds: 0,
    });
    store.clock.advance(61 * MINUTE);
    assert.equal(await store.jobs.stats(), {
      queued: 1,
      running: 1,
      failed: 1,
      dead: 1,
      // The failed job's retry came due a second after it failed (its policy's first backoff).
      oldestDueSeconds: 61 * 60 - 1,
    });
  });

  it("purging removes succeeded and cancelled jobs changed before the cut-off, and nothing else", async (store) => {
    const done = await store.jobs.enqueue(reminder, { orderId: ORDER, note: "done" });
    const [claim] = await store.queue.claim(claimOf([reminder]));
    await store.queue.complete(claim as NonNullable<typeof claim>);
    const cancelled = await store.jobs.enqueue(oneShot, { day: "x" });
    await store.jobs.cancel(cancelled.job.id);
    const dead = await store.jobs.enqueue(oneShot, { day: "y" });
    const [dying] = await store.queue.claim(claimOf([oneShot]));
    await store.queue.fail(dying as NonNullable<typeof dying>, { reason: "x", permanent: true });
    store.clock.advance(MINUTE);
    const recent = await store.jobs.enqueue(reminder, { orderId: ORDER, note: "recent" });
    const [recentClaim] = await store.queue.claim(claimOf([reminder]));
    await store.queue.complete(recentClaim as NonNullable<typeof recentClaim>);

    assert.is(await store.jobs.purgeFinished(store.clock.now()), 2);
    assert.is(await store.jobs.get(done.job.id), undefined);
    assert.is(await store.jobs.get(cancelled.job.id), undefined);
    assert.is((await store.jobs.get(dead.job.id))?.state, "dead");
    assert.is((await store.jobs.get(recent.job.id))?.state, "succeeded");
  });

  it("a job no store could keep is refused alike by each: its type's name, retry policy, dedupe key or payload", async (store) => {
    const text = {
      name: "text",
      encode: (value: JsonValue) => value,
      decode: (value: unknown) => ({ _tag: "Right" as const, right: value as JsonValue }),
    };
    const refused = (promise: () => Promise<unknown>) => rejects(promise, InvalidJob);
    await refused(() => store.jobs.enqueue({ name: "Bad Name", payload: text }, "x"));
    await refused(() =>
      store.jobs.enqueue(
        { name: "t", payload: text, retry: { maxAttempts: 0, backoffMs: 1, maxBackoffMs: 1 } },
        "x",
      ),
    );
    await refused(() =>
      store.jobs.enqueue(
        { name: "t", payload: text, retry: { maxAttempts: 2, backoffMs: 5, maxBackoffMs: 1 } },
        "x",
      ),
    );
    await refused(() => store.jobs.enqueue({ name: "t", payload: text }, "x", { dedupeKey: "" }));
    await refused(() => store.jobs.enqueue({ name: "t", payload: text }, "x", { dedupeKey: "k\u0000" }));
    await refused(() => store.jobs.enqueue({ name: "t", payload: text }, { note: "nul \u0000" }));
    await refused(() => store.jobs.enqueue({ name: "t", payload: text }, { note: "half \ud800" }));
    for (const notJson of [{ at: new Date() }, { n: Number.NaN }, { u: undefined }, [1, undefined]]) {
      await refused(() => store.jobs.enqueue({ name: "t", payload: text }, notJson as unknown as JsonValue));
    }
    assert.equal(await store.jobs.list({ limit: 10 }), []);
    assert.is(
      (await store.jobs.enqueue({ name: "a.b-c", payload: text }, { ok: [1, "two", null, true] })).job.type,
      "a.b-c",
    );
  });
});

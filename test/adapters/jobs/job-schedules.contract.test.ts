import * as assert from "uvu/assert";
import { InvalidSchedule, type Schedule } from "../../../src/ports/job-schedules.js";
import { rejects } from "../../support/rejects.js";
import { jobsContract } from "./job-stores.js";
import { claimOf, MINUTE, oneShot, report } from "./job-types.js";

const HOUR = 60 * MINUTE;

/** Nightly at 03:00 Berlin time; the contract's clock starts at 2026-03-01T09:00Z, a Sunday (CET, UTC+1). */
const nightly: Schedule<{ day: string }> = {
  name: "reports.nightly",
  cron: "0 3 * * *",
  timeZone: "Europe/Berlin",
  job: report,
  payload: { day: "yesterday" },
};

const hourly: Schedule<{ day: string }> = {
  ...nightly,
  name: "reports.hourly",
  cron: "0 * * * *",
  timeZone: "UTC",
};

const at = (iso: string) => new Date(iso);

await jobsContract("JobSchedules", (it) => {
  it("when a schedule is defined, then its next firing is the expression's next time in its own zone", async (store) => {
    const defined = await store.schedules.define(nightly);

    assert.equal(defined, {
      name: "reports.nightly",
      cron: "0 3 * * *",
      timeZone: "Europe/Berlin",
      jobType: "test.report",
      payload: { day: "yesterday" },
      nextRunAt: at("2026-03-02T02:00:00.000Z"),
      lastFiredAt: null,
    });
    assert.equal(await store.schedules.list(), [defined]);
  });

  it("given a schedule defined again unchanged (a restart), its next firing is kept, even when already due; with another expression or zone it is computed anew", async (store) => {
    await store.schedules.define(nightly);
    store.clock.advance(18 * HOUR);

    const restarted = await store.schedules.define({ ...nightly, payload: { day: "changed" } });
    assert.equal(
      [restarted.nextRunAt, restarted.payload],
      [at("2026-03-02T02:00:00.000Z"), { day: "changed" }],
    );
    const moved = await store.schedules.define({ ...nightly, cron: "0 4 * * *" });
    assert.equal(moved.nextRunAt, at("2026-03-03T03:00:00.000Z"));
    const elsewhere = await store.schedules.define({ ...nightly, cron: "0 4 * * *", timeZone: "UTC" });
    assert.equal(elsewhere.nextRunAt, at("2026-03-02T04:00:00.000Z"));
  });

  it("a schedule whose expression does not parse, whose zone is unknown, or that never fires is refused, and nothing is stored", async (store) => {
    const refused = (schedule: Schedule<{ day: string }>) =>
      rejects(() => store.schedules.define(schedule), InvalidSchedule);
    await refused({ ...nightly, cron: "61 3 * * *" });
    await refused({ ...nightly, cron: "0 0 3 * * *" });
    await refused({ ...nightly, cron: "every night" });
    await refused({ ...nightly, timeZone: "Europe/Atlantis" });
    await refused({ ...nightly, timeZone: "" });
    await refused({ ...nightly, cron: "0 0 30 2 *" });
    await refused({ ...nightly, name: " " });
    assert.equal(await store.schedules.list(), []);
  });

  it("given a schedule, firing before its time enqueues nothing; at its time, one job due then, and the next firing", async (store) => {
    await store.schedules.define(nightly);
    assert.equal(await store.schedules.fireDue(), []);

    store.clock.advance(17 * HOUR);
    const [fired, ...more] = await store.schedules.fireDue();
    assert.equal(more, []);
    assert.equal(
      { ...fired, jobId: "" },
      {
        schedule: "reports.nightly",
        dueAt: at("2026-03-02T02:00:00.000Z"),
        jobId: "",
        deduplicated: false,
        nextRunAt: at("2026-03-03T02:00:00.000Z"),
      },
    );
    const job = await store.jobs.get(fired?.jobId ?? "");
    assert.equal(
      [job?.type, job?.payload, job?.runAt, job?.state, job?.dedupeKey],
      [
        "test.report",
        { day: "yesterday" },
        at("2026-03-02T02:00:00.000Z"),
        "queued",
        "schedule:reports.nightly",
      ],
    );
    assert.equal(await store.schedules.fireDue(), [], "fired once");
    const [listed] = await store.schedules.list();
    assert.equal(
      [listed?.lastFiredAt, listed?.nextRunAt],
      [store.clock.now(), at("2026-03-03T02:00:00.000Z")],
    );
  });

  it("given five hourly firings missed (no worker ran), firing makes one job, for the first, and the next firing is after now", async (store) => {
    await store.schedules.define(hourly);
    store.clock.advance(5 * HOUR + 30 * MINUTE);

    const fired = await store.schedules.fireDue();
    assert.equal(
      fired.map((f) => [f.dueAt, f.nextRunAt]),
      [[at("2026-03-01T10:00:00.000Z"), at("2026-03-01T15:00:00.000Z")]],
    );
    assert.is((await store.jobs.list({ limit: 10 })).length, 1);
  });

  it("given the previous firing's job has not finished, the next firing adds none; once it has, the next firing adds one", async (store) => {
    await store.schedules.define(hourly);
    store.clock.advance(HOUR);
    const [first] = await store.schedules.fireDue();

    store.clock.advance(HOUR);
    const [second] = await store.schedules.fireDue();
    assert.equal([second?.deduplicated, second?.jobId], [true, first?.jobId]);

    const [claim] = await store.queue.claim(claimOf([report]));
    assert.ok(claim !== undefined && (await store.queue.complete(claim)));
    store.clock.advance(HOUR);
    const [third] = await store.schedules.fireDue();
    assert.is(third?.deduplicated, false);
    assert.is.not(third?.jobId, first?.jobId);
  });

  it("when two workers fire due schedules at once, then each firing is enqueued once", async (store) => {
    const names = ["a", "b", "c", "d", "e"].map((n) => `maintenance.${n}`);
    for (const name of names) await store.schedules.define({ ...hourly, name });
    store.clock.advance(HOUR);

    const fired = (
      await Promise.all([
        store.schedules.fireDue(),
        store.otherWorker.schedules.fireDue(),
        store.schedules.fireDue(),
        store.otherWorker.schedules.fireDue(),
      ])
    ).flat();
    assert.equal(fired.map((f) => f.schedule).sort(), names);
    assert.is((await store.jobs.list({ limit: 10 })).length, 5);
  });

  it("a schedule's job carries its type's retry policy", async (store) => {
    await store.schedules.define({ ...hourly, name: "once.hourly", job: oneShot });
    store.clock.advance(HOUR);
    const [fired] = await store.schedules.fireDue();
    assert.is((await store.jobs.get(fired?.jobId ?? ""))?.maxAttempts, 1);
  });

  it("the lag is how late the most overdue firing is, and 0 once fired or when none is due", async (store) => {
    assert.is(await store.schedules.lagSeconds(), 0);
    await store.schedules.define(hourly);
    await store.schedules.define(nightly);
    assert.is(await store.schedules.lagSeconds(), 0);

    store.clock.advance(HOUR + 90_000);
    assert.is(await store.schedules.lagSeconds(), 90);
    await store.schedules.fireDue();
    assert.is(await store.schedules.lagSeconds(), 0);
  });

  it("schedules are listed by name, and a removed one is gone and fires no more", async (store) => {
    await store.schedules.define({ ...hourly, name: "b.second" });
    await store.schedules.define({ ...hourly, name: "a.first" });
    await store.schedules.define({ ...hourly, name: "B.upper" });
    assert.equal(
      (await store.schedules.list()).map((s) => s.name),
      ["B.upper", "a.first", "b.second"],
    );

    assert.is(await store.schedules.remove("a.first"), true);
    assert.is(await store.schedules.remove("a.first"), false);
    store.clock.advance(HOUR);
    assert.equal(
      (await store.schedules.fireDue()).map((f) => f.schedule),
      ["B.upper", "b.second"],
    );
  });
});

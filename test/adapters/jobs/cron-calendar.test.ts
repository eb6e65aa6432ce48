import * as assert from "uvu/assert";
import { nextFiring } from "../../../src/adapters/jobs/cron-calendar.js";
import { InvalidSchedule } from "../../../src/ports/job-schedules.js";
import { test } from "../../support/uvu.js";

const next = (cron: string, timeZone: string, after: string) =>
  nextFiring("spec", cron, timeZone, new Date(after)).toISOString();

function firings(cron: string, timeZone: string, after: string, count: number): string[] {
  const all: string[] = [];
  let from = new Date(after);
  for (let n = 0; n < count; n++) {
    from = nextFiring("spec", cron, timeZone, from);
    all.push(from.toISOString());
  }
  return all;
}

test("given a daily time in a zone, the next firing is that wall-clock time there, in winter and in summer", () => {
  assert.is(next("0 3 * * *", "Europe/Berlin", "2026-01-10T12:00:00Z"), "2026-01-11T02:00:00.000Z");
  assert.is(next("0 3 * * *", "Europe/Berlin", "2026-07-10T12:00:00Z"), "2026-07-11T01:00:00.000Z");
  assert.is(next("30 9 * * 1-5", "America/New_York", "2026-03-06T15:00:00Z"), "2026-03-09T13:30:00.000Z");
});

test("given a daily time inside the spring-forward gap, it fires at the first time after the gap that day, then as usual", () => {
  // 2026-03-29 in Berlin: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist.
  assert.equal(firings("30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", 2), [
    "2026-03-29T01:00:00.000Z",
    "2026-03-30T00:30:00.000Z",
  ]);
});

test("given a daily time that occurs twice when clocks fall back, it fires once", () => {
  // 2026-10-25 in Berlin: 03:00 CEST falls back to 02:00 CET, so 02:30 occurs twice.
  assert.equal(firings("30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", 2), [
    "2026-10-25T00:30:00.000Z",
    "2026-10-26T01:30:00.000Z",
  ]);
});

test("given an hourly schedule across the fall-back hour, it fires every real hour, the repeated one included", () => {
  // 2026-11-01 in New York: 02:00 EDT falls back to 01:00 EST.
  assert.equal(firings("0 * * * *", "America/New_York", "2026-11-01T04:30:00Z", 4), [
    "2026-11-01T05:00:00.000Z",
    "2026-11-01T06:00:00.000Z",
    "2026-11-01T07:00:00.000Z",
    "2026-11-01T08:00:00.000Z",
  ]);
});

test("the next firing is strictly after the given time, even when that time matches", () => {
  assert.is(next("0 * * * *", "UTC", "2026-01-01T10:00:00Z"), "2026-01-01T11:00:00.000Z");
});

test("an expression that does not parse, an unknown zone, or one that never fires is an InvalidSchedule naming the schedule", () => {
  for (const [cron, zone, reason] of [
    ["0 3 * *", "UTC", /not a five-field cron expression/],
    ["0 0 3 * * *", "UTC", /not a five-field cron expression/],
    ["0 25 * * *", "UTC", /not a five-field cron expression/],
    ["0 3 * * *", "Mars/Olympus_Mons", /unknown time zone "Mars\/Olympus_Mons"/],
    ["0 0 31 4 *", "UTC", /"0 0 31 4 \*" never fires/],
  ] as const) {
    assert.throws(
      () => nextFiring("nightly", cron, zone, new Date("2026-01-01T00:00:00Z")),
      (error: unknown) =>
        error instanceof InvalidSchedule && error.schedule === "nightly" && reason.test(error.message),
      `${cron} ${zone}`,
    );
  }
});

test.run();

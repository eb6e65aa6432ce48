import * as assert from "uvu/assert";
import { decide, servicesRequired } from "./services.js";
import { test } from "./uvu.js";

const down = async () => {
  throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
};
const up = async () => {};

test("CI=true makes service-backed suites required", () => {
  assert.ok(servicesRequired({ CI: "true" }));
  assert.not.ok(servicesRequired({}));
});

test("given a service that answers, its suite runs, with or without CI", async () => {
  assert.equal(await decide("postgres", up, {}), { run: true });
  assert.equal(await decide("postgres", up, { CI: "true" }), { run: true });
});

test("given a missing service outside CI, its suite is skipped with the reason", async () => {
  assert.equal(await decide("postgres", down, {}), {
    run: false,
    reason: "postgres unreachable: connect ECONNREFUSED 127.0.0.1:5432",
  });
});

test("given a missing service under CI=true, deciding fails instead of skipping", async () => {
  try {
    await decide("postgres", down, { CI: "true" });
    assert.unreachable("a missing required service must fail");
  } catch (error) {
    assert.match((error as Error).message, /postgres unreachable.*required because CI=true/);
  }
});

test.run();

import * as assert from "uvu/assert";
import { Mutex } from "../../../../src/adapters/persistence/pglite/mutex.js";
import { test } from "../../../support/uvu.js";

test("given the lock is held, when callers queue for it, then each gets it alone and in the order they asked", async () => {
  const mutex = new Mutex();
  const events: string[] = [];
  await mutex.lock();
  const waiters = ["first", "second", "third"].map(async (name) => {
    await mutex.lock();
    events.push(`${name} in`);
    await Promise.resolve();
    events.push(`${name} out`);
    mutex.unlock();
  });
  events.push("holder out");
  mutex.unlock();
  await Promise.all(waiters);
  assert.equal(events, [
    "holder out",
    "first in",
    "first out",
    "second in",
    "second out",
    "third in",
    "third out",
  ]);
});

test("given a release hands the lock to a waiter, when a newcomer asks at that moment, then it gets in only after the waiter is out", async () => {
  const mutex = new Mutex();
  const events: string[] = [];
  const holdBriefly = (name: string) => async () => {
    events.push(`${name} in`);
    await Promise.resolve();
    events.push(`${name} out`);
    mutex.unlock();
  };
  await mutex.lock();
  const waiter = mutex.lock().then(holdBriefly("waiter"));
  mutex.unlock();
  const newcomer = mutex.lock().then(holdBriefly("newcomer"));
  await Promise.all([waiter, newcomer]);
  assert.equal(events, ["waiter in", "waiter out", "newcomer in", "newcomer out"]);
});

test("given the lock is free, when it is unlocked, then it throws rather than corrupting the queue", () => {
  assert.throws(() => new Mutex().unlock(), /not locked/);
});

test.run();

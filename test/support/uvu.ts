/**
 * uvu's `suite` and `test`, with one defect fixed: uvu 0.5.6 runs `before` hooks inside a
 * try/finally whose `finally` returns, so an error thrown by a `before` hook is swallowed — the suite
 * prints "(0 / 3)" in green and the run exits 0. Here a failing `before` hook fails every test of its
 * suite with the hook's own error, so the run fails loudly and says why. (`after` hook errors already
 * escape uvu and end the run with exit 1.)
 *
 * Every test file imports `suite` and `test` from here, never from "uvu" (checked by
 * test/support/uvu.test.ts); `uvu/assert` is imported as it is.
 */
import { type Callback, type Context, type Test, suite as uvuSuite } from "uvu";

export type { Test };

/** A `before` hook threw: the suite's tests cannot mean anything, so each fails with this. */
export class HookFailed extends Error {
  constructor(suiteName: string, cause: unknown) {
    super(
      `the before hook of ${suiteName === "" ? "this file" : `suite "${suiteName}"`} failed: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
    this.name = "HookFailed";
    if (cause instanceof Error && cause.stack !== undefined)
      this.stack = `${this.name}: ${this.message}\n${cause.stack}`;
  }
}

export function suite<T = Context>(name = "", context?: T): Test<T> {
  return guarded(uvuSuite<T>(name, context), name);
}

export const test: Test<Context> = suite();

function guarded<T>(inner: Test<T>, name: string): Test<T> {
  let failure: { readonly error: unknown } | undefined;
  const checked =
    (body: Callback<T>): Callback<T> =>
    (context) => {
      if (failure !== undefined) throw new HookFailed(name, failure.error);
      return body(context);
    };
  const before = (hook: Callback<T>) =>
    inner.before(async (context) => {
      try {
        await hook(context);
      } catch (error) {
        failure = { error };
      }
    });
  before.each = (hook: Callback<T>) => inner.before.each(hook);

  const guardedTest = ((title: string, body: Callback<T>) => inner(title, checked(body))) as Test<T>;
  guardedTest.only = (title, body) => inner.only(title, checked(body));
  guardedTest.skip = (title, body) => inner.skip(title, body);
  guardedTest.before = before;
  guardedTest.after = inner.after;
  guardedTest.run = () => inner.run();
  return guardedTest;
}

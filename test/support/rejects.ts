import * as assert from "uvu/assert";

/** Asserts that `action` rejects with an instance of `errorType`, and returns the error. */
export async function rejects<E extends Error>(
  action: () => Promise<unknown>,
  errorType: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await action();
  } catch (error) {
    assert.instance(error, errorType);
    return error as E;
  }
  return assert.unreachable(`expected ${errorType.name}, but it resolved`) as never;
}

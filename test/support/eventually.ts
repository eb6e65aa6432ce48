/**
 * Waits until `condition` holds, checking every few milliseconds, or fails after `timeoutMs` with
 * `what` and the last value seen: tests wait for a consumer to catch up, never on fixed sleeps.
 */
export async function eventually<T>(
  what: string,
  probe: () => T | Promise<T>,
  condition: (value: T) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (condition(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

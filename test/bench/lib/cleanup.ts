/**
 * Things a scenario leaves outside its servers (a PostgreSQL schema, a data directory) that must go
 * even when the run ends early: a target's stop runs its cleanup; run.ts runs what is left after a
 * failure or Ctrl-C, once the servers that use them have stopped.
 */
const pending = new Set<() => Promise<void>>();

/** Registers `cleanup`; the returned function runs it at most once and unregisters it. */
export function registerCleanup(cleanup: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  const run = (): Promise<void> => {
    pending.delete(run);
    done ??= cleanup();
    return done;
  };
  pending.add(run);
  return run;
}

/** Runs every cleanup not yet run; failures are reported, not thrown, so each one gets its turn. */
export async function runPendingCleanups(report: (line: string) => void): Promise<void> {
  const outcomes = await Promise.allSettled([...pending].map((cleanup) => cleanup()));
  for (const outcome of outcomes) {
    if (outcome.status === "rejected") report(`cleanup failed: ${String(outcome.reason)}`);
  }
}

import type { LogWatcher } from "../../ports/relay-state.js";

/** For stores without a notification channel (PGlite): the relay simply looks again after the timeout. */
export class PollingLogWatcher implements LogWatcher {
  private readonly sleepers = new Set<() => void>();

  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.sleepers.add(done);
    });
  }

  async close(): Promise<void> {
    for (const sleeper of [...this.sleepers]) sleeper();
  }
}

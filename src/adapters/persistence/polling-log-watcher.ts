import type { LogWatcher } from "../../ports/relay-state.js";
import { WakeUps } from "../wake-ups.js";

/** For stores without a notification channel (PGlite): the relay simply looks again after the timeout. */
export class PollingLogWatcher implements LogWatcher {
  private readonly wakeUps = new WakeUps();

  wait(timeoutMs: number): Promise<void> {
    return this.wakeUps.sleep(timeoutMs);
  }

  async close(): Promise<void> {
    this.wakeUps.wakeAll();
  }
}

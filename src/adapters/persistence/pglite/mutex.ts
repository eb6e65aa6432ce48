/**
 * A first-come, first-served async lock. Waiters are served in arrival order, so under a steady
 * stream of queries none of them starves, and the lock is handed straight to the next waiter
 * on release, so a newcomer can never slip in between.
 */
export class Mutex {
  #locked = false;
  readonly #waiters: Array<() => void> = [];

  /** Resolves once the caller holds the lock; pair every call with one `unlock()`. */
  lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  unlock(): void {
    if (!this.#locked) throw new Error("Mutex.unlock() called while the mutex is not locked");
    const next = this.#waiters.shift();
    if (next === undefined) this.#locked = false;
    else next();
  }
}

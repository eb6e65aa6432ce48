/** Sleepers that wake at their timeout or all at once when `wakeAll` is called (a signal arrived). */
export class WakeUps {
  private readonly sleepers = new Set<() => void>();

  sleep(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.sleepers.add(wake);
    });
  }

  wakeAll(): void {
    for (const wake of [...this.sleepers]) wake();
  }
}

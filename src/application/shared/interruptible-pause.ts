/**
 * A pause between retries that `interrupt()` ends at once: a loop that backs off through an outage
 * must still stop the moment its process shuts down.
 */
export class InterruptiblePause {
  private interruptWaiting: (() => void) | undefined;

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.interruptWaiting = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  interrupt(): void {
    this.interruptWaiting?.();
  }
}

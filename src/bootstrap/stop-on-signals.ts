import type { Logger } from "../ports/logger.js";

/**
 * SIGTERM or SIGINT stops the process gracefully, once; exit code 0 when everything closed cleanly.
 * A second signal while stopping is ignored: the first shutdown is already bounded by its timeouts.
 */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

import type { Logger } from "../../ports/logger.js";
import { formatConfigIssues } from "./config-issue.js";
import type { ReloadReport } from "./config-store.js";

/** `kill -HUP <pid>` re-reads the configuration. Returns a function that removes the handler. */
export function reloadOnSighup(store: { reload(): ReloadReport }, logger: Logger): () => void {
  const onSighup = (): void => {
    let report: ReloadReport;
    try {
      report = store.reload();
    } catch (error) {
      // A signal handler that throws would take the whole process down over a reload.
      logger.error({ err: error }, "config reload failed; keeping the current config");
      return;
    }
    const { applied, ignoredRestartOnly, errors } = report;
    if (errors.length > 0) {
      logger.error(
        { issues: errors },
        `config reload refused; keeping the current config\n${formatConfigIssues(errors)}`,
      );
      return;
    }
    if (ignoredRestartOnly.length > 0) {
      logger.warn({ keys: ignoredRestartOnly }, "config changed, needs restart, ignored");
    }
    logger.info(
      { applied, ignoredRestartOnly },
      applied.length > 0 ? "config reloaded" : "config reloaded, nothing to apply",
    );
  };
  process.on("SIGHUP", onSighup);
  return () => {
    process.off("SIGHUP", onSighup);
  };
}

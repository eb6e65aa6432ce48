import { run } from "../../adapters/http/health-routes.js";
import { KeelMetrics } from "../../adapters/metrics/keel-metrics.js";
import type { Relay } from "../../application/messaging/relay.js";
import { HealthCheck } from "../../ports/health-check.js";
import { JobSchedules } from "../../ports/job-schedules.js";
import { Jobs } from "../../ports/jobs.js";
import { MessageObserver } from "../../ports/message-observer.js";
import { Tokens } from "../tokens.js";
import type { Module } from "./module.js";
import { runsWorker } from "./worker-module.js";

/** Same bound as the readiness probe: a scrape never waits longer on a hanging dependency. */
const CHECK_TIMEOUT_MS = 2000;

/**
 * One metrics registry per process. Readiness checks become a gauge per check, and, where the relay
 * runs, the outbox lag and the job queue are read from the store at each scrape.
 */
export const metricsModule: Module = (container, config, role) => {
  container.bind(Tokens.Metrics).toResolvedValue(() => {
    const metrics = new KeelMetrics();
    // Checks and relay are looked up at scrape time, not injected: they depend on adapters (the
    // database, the bus) that report to these metrics themselves.
    metrics.watchHealth(async () => {
      const checks = container.getAll<HealthCheck>(HealthCheck, { optional: true });
      const results = await Promise.all(checks.map((check) => run(check, CHECK_TIMEOUT_MS)));
      return results.map((result) => ({ name: result.name, up: result.status === "up" }));
    });
    if (runsWorker(config, role)) {
      metrics.watchRelayLag(() => container.get<Relay>(Tokens.Relay).lag());
      metrics.watchJobs(
        () => container.get<Jobs>(Jobs).stats(),
        () => container.get<JobSchedules>(JobSchedules).lagSeconds(),
      );
    }
    return metrics;
  });
  container.bind(MessageObserver).toService(Tokens.Metrics);
};

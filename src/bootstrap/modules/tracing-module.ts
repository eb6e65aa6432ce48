import { RepeatGuard } from "../../adapters/logging/repeat-guard.js";
import { Subjects } from "../../adapters/messaging/subjects.js";
import type { KeelMetrics } from "../../adapters/metrics/keel-metrics.js";
import { spanExportMetrics } from "../../adapters/metrics/span-export-metrics.js";
import { exportPipeline, type SpanExportObserver } from "../../adapters/tracing/export-pipeline.js";
import { KeelTracing } from "../../adapters/tracing/keel-tracing.js";
import { tracedEventBus } from "../../adapters/tracing/traced-event-bus.js";
import { tracedMailer } from "../../adapters/tracing/traced-mailer.js";
import { tracedUnitOfWork } from "../../adapters/tracing/traced-unit-of-work.js";
import { EventBus } from "../../ports/event-bus.js";
import { Logger } from "../../ports/logger.js";
import { Mailer } from "../../ports/mailer.js";
import { UnitOfWork } from "../../ports/unit-of-work.js";
import type { Component } from "../lifecycle.js";
import { serviceVersion } from "../service-version.js";
import { Tokens } from "../tokens.js";
import type { Module } from "./module.js";

/**
 * TRACING__ENABLED: spans at keel's own seams (ARCHITECTURE.md, "Observability"). The ports that
 * cross a process or a network (unit of work, event bus, mailer) are decorated where they are
 * resolved, so no module that binds or uses them knows of tracing; the buses' behaviour, the HTTP
 * middleware and the SQL dialect take the optional Tracing binding. Disabled, nothing is bound and
 * nothing costs anything.
 */
export const tracingModule: Module = (container, config) => {
  if (!config.tracing.enabled) return;
  const { serviceName, sampleRatio } = config.tracing;
  container
    .bind(Tokens.Tracing)
    .toResolvedValue(
      (metrics: KeelMetrics, logger: Logger) =>
        new KeelTracing(
          { serviceName, serviceVersion: serviceVersion(), environment: config.appEnv, sampleRatio },
          exportPipeline(config.tracing, reported(spanExportMetrics(metrics.registry), logger)),
        ),
      [Tokens.Metrics, Logger],
    );
  // Bound first among the components, so stopped last: the spans of everything else's shutdown
  // are exported before the exporter goes.
  container.bind(Tokens.Components).toResolvedValue(
    (tracing: KeelTracing): Component => ({
      name: "tracing",
      start: async () => {},
      stop: () => tracing.shutdown(),
    }),
    [Tokens.Tracing],
  );

  const tracer = (context: { get<T>(id: symbol): T }) => context.get<KeelTracing>(Tokens.Tracing).tracer;
  container.onActivation<UnitOfWork>(UnitOfWork, (context, unitOfWork) =>
    tracedUnitOfWork(unitOfWork, tracer(context)),
  );
  container.onActivation<Mailer>(Mailer, (context, mailer) =>
    tracedMailer(mailer, tracer(context), config.mail.driver),
  );
  const subjects = new Subjects(config.eventBus.stream);
  const system =
    config.eventBus.driver === "nats"
      ? { name: "nats", destinationOf: (event: { type: string }) => subjects.event(event.type) }
      : { name: "memory", destinationOf: (event: { type: string }) => event.type };
  container.onActivation<EventBus>(EventBus, (context, bus) => tracedEventBus(bus, tracer(context), system));
};

/** How often a run of dropped spans is logged; the counter has every one. */
const DROP_REPORT_WINDOW_MS = 60_000;

/** Counts, and says once a minute per reason that spans are being dropped. */
function reported(metrics: SpanExportObserver, logger: Logger): SpanExportObserver {
  const log = logger.child({ component: "tracing" });
  const repeats = new RepeatGuard(DROP_REPORT_WINDOW_MS);
  return {
    spansExported: (count) => metrics.spansExported(count),
    spansDropped: (reason, count) => {
      metrics.spansDropped(reason, count);
      const { write, suppressed } = repeats.admit(reason);
      if (write)
        log.warn(
          { reason, spans: count, ...(suppressed > 0 ? { reportsHeldBack: suppressed } : {}) },
          "spans dropped: the trace collector is away or cannot keep up (keel_trace_spans_dropped_total counts them)",
        );
    },
  };
}

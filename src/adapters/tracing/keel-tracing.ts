import {
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import type { SpanExporter, SpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { loadWhenUsed } from "../load-when-used.js";

// With tracing off (nothing builds a KeelTracing) the SDK is never loaded; the API above is small.
const asyncHooks = loadWhenUsed<typeof import("@opentelemetry/context-async-hooks")>(
  "@opentelemetry/context-async-hooks",
);
const resources = loadWhenUsed<typeof import("@opentelemetry/resources")>("@opentelemetry/resources");
const sdk = loadWhenUsed<typeof import("@opentelemetry/sdk-trace")>("@opentelemetry/sdk-trace");

export interface TracingSettings {
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly environment: string;
  /** Share of new traces recorded; a request with a sampled parent is always recorded. */
  readonly sampleRatio: number;
}

/**
 * keel's tracer: one TracerProvider per container, never the global one. Tests build several
 * containers in one process, each with its own exporter; a global provider can be set only once.
 * What is shared is the context manager (AsyncLocalStorage): which span is active is a property of
 * the async call chain, not of a container, so one per process is right.
 */
export class KeelTracing {
  readonly tracer: Tracer;
  private readonly provider: TracerProvider;

  constructor(settings: TracingSettings, processors: readonly SpanProcessor[]) {
    useAsyncContext();
    const { ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider } = sdk();
    this.provider = new TracerProvider({
      resource: resources().resourceFromAttributes({
        "service.name": settings.serviceName,
        "service.version": settings.serviceVersion,
        "deployment.environment.name": settings.environment,
        // The older name, still what many backends filter on.
        "deployment.environment": settings.environment,
      }),
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) }),
      spanProcessors: [...processors],
    });
    this.tracer = this.provider.getTracer("keel", settings.serviceVersion);
  }

  /**
   * Sends what is batched; bounded by the processors' export timeouts. A failed export is not the
   * caller's problem (its spans are counted as dropped), so neither this nor shutdown throws.
   */
  async flush(): Promise<void> {
    await this.provider.forceFlush().catch(() => undefined);
  }

  async shutdown(): Promise<void> {
    await this.provider.shutdown().catch(() => undefined);
  }
}

export type { SpanExporter };

let asyncContext = false;

/** Registers the AsyncLocalStorage context manager once per process (the API allows one). */
function useAsyncContext(): void {
  if (asyncContext) return;
  asyncContext = context.setGlobalContextManager(
    new (asyncHooks().AsyncLocalStorageContextManager)().enable(),
  );
}

export interface SpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Record<string, string | number | boolean>;
  /** An error that is an answer rather than a failure (a refusal): recorded without status ERROR. */
  readonly expected?: (error: unknown) => boolean;
  /** The context the span continues; the active one unless the trace comes from elsewhere (an event). */
  readonly parent?: Context;
  /**
   * Nothing beneath makes spans (a SQL statement, a mail sent): `work` runs in the caller's context
   * instead of one that makes this span active, which saves entering a context per span.
   */
  readonly leaf?: boolean;
}

/**
 * Runs `work` inside a new span, ending it however `work` ends. An error is recorded on the span
 * with status ERROR unless `expected` says it is an answer rather than a failure (a refusal, a 4xx).
 */
export async function inSpan<T>(
  tracer: Tracer,
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer.startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
    parent,
  );
  try {
    return await (options.leaf ? work(span) : context.with(trace.setSpan(parent, span), () => work(span)));
  } catch (error) {
    if (options.expected?.(error) !== true) failed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Records an unexpected error on a span: the exception event and status ERROR. */
export function failed(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.name : "error",
  });
}

import { context, SpanKind, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import type { Middleware } from "koa";
import { failed } from "../../tracing/keel-tracing.js";
import { continuedFrom } from "../../tracing/trace-context.js";
import type { AppState } from "../app-state.js";
import { routeTemplateOf, UNMATCHED } from "../route-template.js";

/** Probes and scrapes come every few seconds from machines: tracing them would bury the requests. */
const UNTRACED = /^\/(health\/|metrics$)/;

/**
 * The SERVER span of each request, outermost, so that every later stage, log line and span falls
 * inside it. It continues the caller's `traceparent` when there is one (the sampling decision comes
 * with it). Named `GET /api/v1/products/:id` after the route template once routing is done; the
 * raw path is only `url.path`. A 4xx is the client's doing and leaves the status unset; a 5xx is
 * ERROR, with the exception the error mapper caught when there was one.
 */
export function serverSpans(tracer: Tracer): Middleware<AppState> {
  return async (ctx, next) => {
    if (UNTRACED.test(ctx.path)) return next();
    const parent = continuedFrom(ctx.headers);
    const span = tracer.startSpan(
      ctx.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "http.request.method": ctx.method,
          "url.path": ctx.path,
          "url.scheme": ctx.protocol,
          "network.protocol.version": ctx.req.httpVersion,
        },
      },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), next);
    } catch (error) {
      // Nothing below the error mapper throws; if something above it does, Koa answers 500.
      failed(span, error);
      throw error;
    } finally {
      const route = routeTemplateOf(ctx);
      if (route !== UNMATCHED) {
        span.updateName(`${ctx.method} ${route}`);
        span.setAttribute("http.route", route);
      }
      span.setAttribute("http.response.status_code", ctx.status);
      if (ctx.state.requestId !== undefined) span.setAttribute("keel.request_id", ctx.state.requestId);
      if (ctx.state.principal !== undefined)
        span.setAttribute("keel.principal.kind", ctx.state.principal.kind);
      if (ctx.status >= 500) {
        if (ctx.state.failure !== undefined) failed(span, ctx.state.failure);
        else span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    }
  };
}

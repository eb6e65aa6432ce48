import type { Middleware } from "koa";
import { Forbidden, Unauthenticated } from "../../../application/shared/authorization.js";
import { VersionMismatch } from "../../../application/shared/expected-version.js";
import { NotFound } from "../../../application/shared/not-found.js";
import { DomainError, InvalidValue, type RefusalKind } from "../../../domain/shared/domain-error.js";
import { DependencyUnavailable } from "../../../ports/dependency-unavailable.js";
import { ConcurrencyConflict } from "../../../ports/unit-of-work.js";
import { RepeatGuard } from "../../logging/repeat-guard.js";
import type { AppState } from "../app-state.js";
import type { Envelope } from "../envelope.js";
import { HttpError } from "../http-error.js";

/** How HTTP answers each sort of business refusal (the error type says which sort it is). */
const REFUSAL_STATUS: Readonly<Record<RefusalKind, number>> = { conflict: 409, "broken-rule": 422 };

const STATUS_CODES: Readonly<Record<number, string>> = {
  400: "BAD_REQUEST",
  404: "NOT_FOUND",
  406: "NOT_ACCEPTABLE",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
};

/** How long identical "dependency unavailable" lines are held back after the first, in ms. */
const REPEAT_WINDOW_MS = 10_000;

/**
 * Turns every error into the standard envelope with a stable code. Unknown errors become a bare
 * 500: their details go to the log, never to the client.
 */
export function errorMapper(): Middleware<AppState> {
  const repeats = new RepeatGuard(REPEAT_WINDOW_MS);
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.body === undefined) unanswered(ctx.status, `${ctx.method} ${ctx.originalUrl.split("?")[0]}`);
    } catch (error) {
      const { status, envelope, headers } = errorResponse(error);
      // A 501 answers a method keel serves nowhere: the client's doing, like a 4xx, so the access
      // log's info line is all it gets (or anyone could fill the error log with TRACE requests).
      const failed = status >= 500 && status !== 501;
      if (failed) ctx.state.failure = error;
      // A 5xx keel chose to send (503 while a dependency is down) is not a bug: no stack, warn, and
      // once per window rather than once per refused request.
      if (chosen(error) && failed) {
        const { write, suppressed } = repeats.admit(envelope.code + envelope.message);
        if (write)
          ctx.state.logger.warn(
            { code: envelope.code, ...(suppressed > 0 ? { suppressed } : {}), ...causeOf(error) },
            envelope.message,
          );
      } else if (failed) ctx.state.logger.error({ err: error }, "unhandled error");
      ctx.status = status;
      for (const [name, value] of Object.entries(headers)) ctx.set(name, value);
      ctx.body = { ...envelope, requestId: ctx.state.requestId };
    }
  };
}

/**
 * No stage wrote a body: nothing matched (404), or a router answered 405/501 bare (the API's own
 * router answers those itself, in the envelope: see method-rules.ts).
 */
function unanswered(status: number, request: string): void {
  if (status === 405) throw new HttpError(405, "METHOD_NOT_ALLOWED", `${request} is not allowed here`);
  if (status === 501) throw new HttpError(501, "NOT_IMPLEMENTED", `${request} is not implemented`);
  if (status === 404) throw new HttpError(404, "NOT_FOUND", `no route for ${request}`);
}

export interface ErrorResponse {
  readonly status: number;
  readonly envelope: Envelope;
  readonly headers: Readonly<Record<string, string>>;
}

/** Errors keel raised on purpose, as opposed to bugs. */
function chosen(error: unknown): boolean {
  return error instanceof HttpError || error instanceof DependencyUnavailable;
}

/** What the driver said, for the operator: the message only, never a stack per request. */
function causeOf(error: unknown): Record<string, string> {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error ? { cause: cause.message } : {};
}

/** The status, envelope and headers keel answers `error` with (the idempotency keys keep a refusal's). */
export function errorResponse(error: unknown): ErrorResponse {
  if (error instanceof DependencyUnavailable) {
    return {
      status: 503,
      envelope: { code: "SERVICE_UNAVAILABLE", message: error.message },
      headers: { "Retry-After": String(error.retryAfterSeconds) },
    };
  }
  if (error instanceof HttpError) {
    return {
      status: error.status,
      envelope: {
        code: error.code,
        message: error.message,
        ...(error.errors ? { errors: error.errors } : {}),
      },
      headers: error.headers ?? {},
    };
  }
  if (error instanceof InvalidValue) {
    return {
      status: 422,
      envelope: {
        code: error.code,
        message: error.message,
        errors: [{ path: error.field, message: error.message }],
      },
      headers: {},
    };
  }
  if (error instanceof DomainError) {
    return {
      status: REFUSAL_STATUS[error.kind],
      envelope: { code: error.code, message: error.message },
      headers: {},
    };
  }
  if (error instanceof Unauthenticated) {
    // RFC 6750 section 3: the challenge says how to authenticate, and whether what was sent was bad.
    const challenge = error.presented
      ? `Bearer realm="keel", error="invalid_token", error_description="${error.message}"`
      : 'Bearer realm="keel"';
    return {
      status: 401,
      envelope: { code: error.code, message: error.message },
      headers: { "WWW-Authenticate": challenge },
    };
  }
  if (error instanceof Forbidden) {
    // RFC 6750 section 3.1: a client holding a narrower token learns which scope would do.
    const headers: Record<string, string> =
      error.permission === undefined
        ? {}
        : {
            "WWW-Authenticate": `Bearer realm="keel", error="insufficient_scope", scope="${error.permission}"`,
          };
    return { status: 403, envelope: { code: error.code, message: error.message }, headers };
  }
  if (error instanceof NotFound) {
    return { status: 404, envelope: { code: error.code, message: error.message }, headers: {} };
  }
  if (error instanceof VersionMismatch) {
    // RFC 9110 section 13.1.1: an If-Match that no longer holds; the client reads again and decides.
    return { status: 412, envelope: { code: error.code, message: error.message }, headers: {} };
  }
  if (error instanceof ConcurrencyConflict) {
    return {
      status: 409,
      envelope: {
        code: "CONCURRENT_MODIFICATION",
        message: "the resource was changed by another request; retry",
      },
      headers: {},
    };
  }
  return fromHttpErrors(error);
}

/** Errors thrown by Koa and its middleware (http-errors) carry a status and say if they may be shown. */
function fromHttpErrors(error: unknown): ErrorResponse {
  const candidate = error as { status?: unknown; expose?: unknown; headers?: unknown } | null;
  const status = typeof candidate?.status === "number" ? candidate.status : 500;
  if (status >= 400 && status < 500 && candidate?.expose === true) {
    const headers = (candidate.headers ?? {}) as Record<string, string>;
    return {
      status,
      envelope: { code: STATUS_CODES[status] ?? "BAD_REQUEST", message: (error as Error).message },
      headers,
    };
  }
  return {
    status: 500,
    envelope: { code: "INTERNAL_ERROR", message: "an unexpected error occurred" },
    headers: {},
  };
}

import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { RouterMiddleware } from "@koa/router";
import type { Context } from "koa";
import { ANONYMOUS, describePrincipal } from "../../application/shared/execution-context.js";
import type { IdempotencyKeys, KeyClaim } from "../../ports/idempotency-keys.js";
import type { AppState } from "./app-state.js";
import { HttpError } from "./http-error.js";
import { errorResponse } from "./middleware/error-mapper.js";

export interface IdempotencySettings {
  readonly keys: IdempotencyKeys;
  /** How long an answer is kept for retries (HTTP__IDEMPOTENCY_TTL_S). */
  readonly ttlMs: number;
  readonly now: () => Date;
}

/** RFC 9110 token characters would do; any visible ASCII up to 255 is what clients send (UUIDs mostly). */
const KEY = /^[\x21-\x7e]{1,255}$/;
/** A claim whose request has not answered in this long belongs to a process that died: claimable again. */
const ABANDON_AFTER_MS = 60_000;
/** How long a retry waits for the first request with its key to answer, before a 409 says try later. */
const WAIT_FOR_FIRST_MS = 5_000;
const POLL_MS = 25;
/** What of the answer is the resource's, and so replayed; the rest belongs to each exchange. */
const KEPT_HEADERS = ["location", "etag"] as const;

/**
 * The `Idempotency-Key` header, for routes that declare `idempotent: true` (a create, a payment):
 * the first request with a key runs and its answer — success or refusal — is kept; a retry with the
 * same key and the same request gets that answer again (`Idempotent-Replayed: true`) without running
 * twice; the same key with another request is a 422. A retry arriving while the first still runs
 * waits for its answer. A request that fails for a reason a retry may not meet (a 5xx, a 503 while a
 * dependency is down) keeps nothing, so the retry runs. Without the header the route works as always.
 */
export function idempotency(settings: IdempotencySettings): RouterMiddleware<AppState> {
  return async (ctx, next) => {
    const key = ctx.get("Idempotency-Key");
    if (key === "") return next();
    if (!KEY.test(key))
      throw new HttpError(
        400,
        "INVALID_IDEMPOTENCY_KEY",
        "Idempotency-Key must be 1 to 255 visible ASCII characters",
      );
    const scope =
      describePrincipal(ctx.state.principal ?? ANONYMOUS) + (ctx.state.principal ? "" : `@${ctx.ip}`);
    const fingerprint = fingerprintOf(ctx);
    const claim = await firstAnswer(settings, scope, key, fingerprint);
    if (claim.outcome !== "claimed") {
      if (claim.fingerprint !== fingerprint)
        throw new HttpError(
          422,
          "IDEMPOTENCY_KEY_REUSED",
          "this Idempotency-Key was sent with a different request",
        );
      if (claim.outcome === "running")
        throw new HttpError(
          409,
          "IDEMPOTENCY_KEY_IN_USE",
          "a request with this Idempotency-Key is still running; retry",
          undefined,
          {
            "Retry-After": "1",
          },
        );
      ctx.status = claim.response.status;
      for (const [name, value] of Object.entries(claim.response.headers)) ctx.set(name, value);
      ctx.set("Idempotent-Replayed", "true");
      const body = claim.response.body as Record<string, unknown>;
      // An error envelope names the request it answers: this one.
      ctx.body = "requestId" in body ? { ...body, requestId: ctx.state.requestId } : body;
      return;
    }
    try {
      await next();
    } catch (error) {
      const { status, envelope, headers } = errorResponse(error);
      if (status >= 500) await settings.keys.release(scope, key).catch(() => undefined);
      else await settings.keys.answer(scope, key, { status, body: { ...envelope, requestId: "" }, headers });
      throw error;
    }
    // Koa 3 answers undefined for a header never set, not "": a payment's answer has no Location.
    const kept = Object.fromEntries(
      KEPT_HEADERS.flatMap((name) => {
        const value: unknown = ctx.response.get(name);
        return value === undefined || value === "" ? [] : [[name, String(value)]];
      }),
    );
    await settings.keys.answer(scope, key, { status: ctx.status, body: ctx.body, headers: kept });
  };
}

/** Claims the key; while another request holds it with the same content, waits (bounded) for its answer. */
async function firstAnswer(
  settings: IdempotencySettings,
  scope: string,
  key: string,
  fingerprint: string,
): Promise<KeyClaim> {
  const claim = () =>
    settings.keys.claim(scope, key, fingerprint, {
      now: settings.now(),
      ttlMs: settings.ttlMs,
      abandonAfterMs: ABANDON_AFTER_MS,
    });
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  let found = await claim();
  while (found.outcome === "running" && found.fingerprint === fingerprint && Date.now() < deadline) {
    await sleep(POLL_MS);
    found = await claim();
  }
  return found;
}

/** What makes two requests the same: method, path, query and body (its JSON with keys in order). */
function fingerprintOf(ctx: Context): string {
  return createHash("sha256")
    .update(`${ctx.method} ${ctx.path}?${ctx.querystring}\n${canonicalJson(ctx.request.body)}`)
    .digest("base64url");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((name) => `${JSON.stringify(name)}:${canonicalJson((value as Record<string, unknown>)[name])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
}

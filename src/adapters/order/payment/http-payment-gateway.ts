import * as t from "io-ts";
import { DependencyUnavailable } from "../../../ports/dependency-unavailable.js";
import type {
  ChargeOutcome,
  ChargeRequest,
  PaymentGateway,
  RefundOutcome,
  RefundRequest,
} from "../../../ports/order/payment-gateway.js";
import { PaymentRequestRefused } from "./payment-request-refused.js";

/** What the order context's settings give the adapter; the composition root builds it from config. */
export interface HttpPaymentGatewaySettings {
  /** Where the gateway's API lives, such as `https://payments.example.com/v1`; `charges` and `refunds` resolve under it. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <key>` and nowhere else: never logged, never in an error. */
  readonly apiKey: string;
  /**
   * Bounds a whole call — connecting, the gateway's decision, reading the answer. A charge that runs
   * out of it may still have been taken; the caller's retry with the same key finds out which.
   */
  readonly timeoutMs: number;
}

/** The name readiness and DependencyUnavailable know the gateway by. */
export const PAYMENT_GATEWAY = "payment-gateway";

/**
 * The retry hint when the gateway gives none (a timeout, a refused connection, a 5xx without
 * Retry-After). Retrying is always safe — the key makes it the same charge — so the hint only has to
 * keep clients from hammering a gateway that is down, not to be exact.
 */
export const PAYMENT_GATEWAY_RETRY_AFTER_S = 5;

/** A gateway's Retry-After is taken as given up to this; beyond it a misconfigured hint would park orders for hours. */
const MAX_RETRY_AFTER_S = 600;

/** How much of a refusal's body an error message quotes: enough for the gateway's reason, not a page of HTML. */
const QUOTED_CHARS = 200;

/** The answers the wire protocol allows, checked before they become port outcomes. */
const ChargeAnswer = t.union([
  t.type({ outcome: t.literal("approved"), paymentReference: t.string }),
  t.type({ outcome: t.literal("declined"), reason: t.string }),
]);
const RefundAnswer = t.type({ outcome: t.literal("refunded"), refundReference: t.string });
const RefusalAnswer = t.type({ error: t.type({ code: t.string, message: t.string }) });

/**
 * The gateway answered 2xx with a body this adapter cannot read: the base URL points at something
 * else, or the gateway's API changed. The charge may have been taken; a retry with the same key gets
 * the same unreadable answer, so this needs a person, not a retry loop.
 */
export class UnreadablePaymentAnswer extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "UnreadablePaymentAnswer";
  }
}

/**
 * The payment gateway over its JSON HTTP API, with Node's fetch: `POST charges` and `POST refunds`,
 * each with the request's `Idempotency-Key`, so a retry after a timeout or a crash is answered with
 * the first outcome instead of charging twice. The adapter itself never retries: one call is bounded
 * by `timeoutMs`, and the caller (a command retried by its job) decides when to try again.
 *
 * A 2xx answer is an outcome (approved, declined, refunded). No answer in time, a connection refused
 * or broken, a 5xx or a 429 is DependencyUnavailable("payment-gateway"), carrying the gateway's
 * Retry-After when it sent one. Any other status is PaymentRequestRefused: retrying would get the
 * same refusal, so it is a bug or a wrong setting.
 */
export class HttpPaymentGateway implements PaymentGateway {
  readonly #charges: URL;
  readonly #refunds: URL;
  readonly #apiKey: string;
  readonly #timeoutMs: number;

  constructor(settings: HttpPaymentGatewaySettings) {
    const base = parseBaseUrl(settings.baseUrl);
    this.#charges = new URL("charges", base);
    this.#refunds = new URL("refunds", base);
    // fetch would reject a key a header cannot carry with a message that quotes it; refuse it here, unquoted.
    if (!/^[\x21-\x7e]+$/.test(settings.apiKey))
      throw new Error(
        "the payment gateway API key is empty or has characters an HTTP header cannot carry (spaces, line breaks, non-ASCII)",
      );
    this.#apiKey = settings.apiKey;
    if (!Number.isSafeInteger(settings.timeoutMs) || settings.timeoutMs <= 0)
      throw new Error(
        `the payment gateway timeout must be a whole number of milliseconds above 0, not ${settings.timeoutMs}`,
      );
    this.#timeoutMs = settings.timeoutMs;
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    const { status, body } = await this.#post(this.#charges, request.idempotencyKey, {
      orderId: request.orderId,
      amount: { amountMinor: request.amount.amountMinor, currency: request.amount.currency },
    });
    if (!ChargeAnswer.is(body)) throw unreadable(status, "charge");
    // Only the fields the port declares: whatever else the gateway adds stays out of the core.
    return body.outcome === "approved"
      ? { outcome: "approved", paymentReference: body.paymentReference }
      : { outcome: "declined", reason: body.reason };
  }

  async refund(request: RefundRequest): Promise<RefundOutcome> {
    const { status, body } = await this.#post(this.#refunds, request.idempotencyKey, {
      orderId: request.orderId,
      paymentReference: request.paymentReference,
      amount: { amountMinor: request.amount.amountMinor, currency: request.amount.currency },
    });
    if (!RefundAnswer.is(body)) throw unreadable(status, "refund");
    return { outcome: "refunded", refundReference: body.refundReference };
  }

  async #post(url: URL, idempotencyKey: string, payload: object): Promise<{ status: number; body: unknown }> {
    const call = `POST ${url.pathname}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: {
          authorization: `Bearer ${this.#apiKey}`,
          "idempotency-key": idempotencyKey,
          "content-type": "application/json",
          accept: "application/json",
        },
        body: JSON.stringify(payload),
        // A redirected POST may be replayed as a GET or to another host with the key; a redirect means a wrong base URL.
        redirect: "manual",
        // One signal for the headers and the body, so a gateway that trickles its answer is bounded too.
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      // No answer, or half of one: whether the gateway acted is unknown, and only a retry with the same key can tell.
      const timedOut = error instanceof Error && error.name === "TimeoutError";
      const what = timedOut
        ? `did not answer within ${this.#timeoutMs} ms`
        : "could not be reached or broke off its answer";
      throw unavailable(
        PAYMENT_GATEWAY_RETRY_AFTER_S,
        new Error(`${call}: the gateway ${what}`, { cause: error }),
      );
    }
    if (response.status === 429 || response.status >= 500)
      throw unavailable(
        retryAfterSeconds(response.headers.get("retry-after")),
        new Error(`${call}: the gateway answered ${response.status}${this.#quoted(text)}`),
      );
    if (response.status < 200 || response.status > 299) throw this.#refused(call, response.status, text);
    try {
      return { status: response.status, body: JSON.parse(text) };
    } catch {
      return { status: response.status, body: undefined };
    }
  }

  #refused(call: string, status: number, text: string): PaymentRequestRefused {
    const refusal = parsed(text);
    const hint =
      status === 401 || status === 403
        ? " (check the payment gateway API key)"
        : status >= 300 && status < 400
          ? " (check the payment gateway base URL)"
          : "";
    if (RefusalAnswer.is(refusal))
      return new PaymentRequestRefused(
        refusal.error.code,
        `${call}: the gateway refused the request with ${status} ${this.#redacted(refusal.error.code)}: ${this.#redacted(refusal.error.message).slice(0, QUOTED_CHARS)}${hint}`,
        status,
      );
    return new PaymentRequestRefused(
      `http_${status}`,
      `${call}: the gateway refused the request with ${status}${this.#quoted(text)}${hint}`,
      status,
    );
  }

  #quoted(text: string): string {
    const trimmed = text.trim();
    return trimmed === "" ? "" : `: ${this.#redacted(trimmed).slice(0, QUOTED_CHARS)}`;
  }

  /** A gateway that echoes the credentials it rejected must not put them into our logs through an error. */
  #redacted(text: string): string {
    return text.split(this.#apiKey).join("[redacted]");
  }
}

/** The base with a trailing slash, so `charges` resolves under its path rather than beside it. */
function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`the payment gateway base URL ${JSON.stringify(baseUrl)} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`the payment gateway base URL must be http or https, not ${url.protocol}`);
  // Quoting such a URL would quote its password; the API key setting is where credentials belong.
  if (url.username !== "" || url.password !== "")
    throw new Error("the payment gateway base URL must not carry credentials; set the API key instead");
  if (url.search !== "" || url.hash !== "")
    throw new Error("the payment gateway base URL must not have a query or a fragment");
  if (!url.pathname.endsWith("/")) url.pathname = `${url.pathname}/`;
  return url;
}

/** Retry-After in seconds, from either of its forms (delta-seconds or an HTTP date). */
export function retryAfterSeconds(header: string | null, now: number = Date.now()): number {
  const value = header?.trim() ?? "";
  let seconds: number;
  if (/^\d+$/.test(value)) seconds = Number(value);
  else {
    const at = Date.parse(value);
    if (value === "" || Number.isNaN(at)) return PAYMENT_GATEWAY_RETRY_AFTER_S;
    seconds = Math.max(0, Math.ceil((at - now) / 1000));
  }
  return Math.min(seconds, MAX_RETRY_AFTER_S);
}

function unavailable(retryAfter: number, cause: Error): DependencyUnavailable {
  return new DependencyUnavailable(PAYMENT_GATEWAY, retryAfter, { cause });
}

function unreadable(status: number, what: string): UnreadablePaymentAnswer {
  return new UnreadablePaymentAnswer(
    status,
    `the payment gateway answered a ${what} with ${status} but a body that is not a ${what} outcome; check the base URL and the gateway's API version`,
  );
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

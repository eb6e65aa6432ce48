import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  declineOrders,
  MemoryPaymentGateway,
} from "../../../../src/adapters/order/payment/memory-payment-gateway.js";
import {
  PaymentRequestRefused,
  REFUSAL,
} from "../../../../src/adapters/order/payment/payment-request-refused.js";
import type { PaymentAmount } from "../../../../src/ports/order/payment-gateway.js";

/**
 * How the fake answers the next request, instead of answering it at once. Each is used by one
 * request, in the order given; requests after them are answered normally.
 */
export type Behaviour =
  /** Answers `status` (503 unless given) with `Retry-After` when given; nothing is decided or taken. */
  | { readonly kind: "unavailable"; readonly status?: number; readonly retryAfter?: string }
  /** Reads the request and never answers: the gateway is stuck before deciding, nothing is taken. */
  | { readonly kind: "stall" }
  /**
   * Decides at once (a charge is taken) but answers only after `delayMs`, or never when it is
   * absent: the gateway that charged the card while the caller gave up waiting.
   */
  | { readonly kind: "late"; readonly delayMs?: number }
  /**
   * Decides at once, then resets the connection instead of answering: the answer is lost on the way,
   * so the caller's retry is the second report of the same payment.
   */
  | { readonly kind: "drop-answer" }
  /** Answers 200 with a body that is no outcome, as a wrong base URL or a changed API would. */
  | { readonly kind: "unreadable" }
  /** Answers exactly this, deciding nothing: for statuses the protocol does not use (a redirect, a plain-text 400). */
  | {
      readonly kind: "answer";
      readonly status: number;
      readonly body: string;
      readonly headers?: Readonly<Record<string, string>>;
    };

export interface ReceivedRequest {
  readonly path: string;
  readonly idempotencyKey: string | undefined;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

export interface FakePaymentGateway {
  /** The base URL to give the adapter (with the fake's path prefix, and no trailing slash). */
  readonly baseUrl: string;
  readonly apiKey: string;
  /** Every request that reached it, in order, whatever was answered. */
  readonly received: readonly ReceivedRequest[];
  /** Queues behaviours for the next requests. */
  next(...behaviours: Behaviour[]): void;
  /** The next `times` requests are answered 503 (with `retryAfter` when given), then answers are normal again. */
  failTimes(times: number, retryAfter?: string): void;
  /** From now on, charges of `orderId` are declined with `reason`. */
  declineOrder(orderId: string, reason: string): void;
  /** How many times money was taken under this key: what "charged exactly once" is asserted on. */
  chargesTaken(idempotencyKey: string): number;
  /** How many refunds were made under this key. */
  refundsMade(idempotencyKey: string): number;
  /** How many times an outcome already decided for this key was decided again and answered: duplicate reports. */
  replays(idempotencyKey: string): number;
  close(): Promise<void>;
}

const PREFIX = "/v1";

/**
 * A payment gateway on 127.0.0.1 and a port the OS picks, speaking the protocol HttpPaymentGateway
 * expects: `POST /v1/charges` and `POST /v1/refunds`, `Authorization: Bearer <key>`, and idempotency
 * by the `Idempotency-Key` header — a repeated key is answered with the first outcome (and
 * `Idempotent-Replayed: true`), so whether a charge is taken twice depends only on the key the
 * adapter sends. The decisions themselves are the memory gateway's, keyed by that header.
 *
 * Like careless real gateways, its 401 and 503 bodies quote the credentials they received, so tests
 * can show the adapter never passes them on.
 */
export async function startFakePaymentGateway(
  apiKey = "sk_test_fake-gateway-key-0123456789",
): Promise<FakePaymentGateway> {
  const ledger = new MemoryPaymentGateway();
  const received: ReceivedRequest[] = [];
  const queued: Behaviour[] = [];
  const taken = new Map<string, number>();
  const refunded = new Map<string, number>();
  const replayed = new Map<string, number>();
  const decided = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const bump = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        answer(response, 500, { error: { code: "fake_failed", message: String(error) } });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = request.url ?? "";
    const key = header(request, "idempotency-key");
    const authorization = header(request, "authorization");
    const routed =
      request.method === "POST" && (path === `${PREFIX}/charges` || path === `${PREFIX}/refunds`);
    const accepted = routed && authorization === `Bearer ${apiKey}` && key !== undefined && key !== "";
    // Taken before the body is read, so behaviours go to requests in the order their headers arrived,
    // which is the order the test sent them in, even when a stalled request's body is still in flight.
    const behaviour = accepted ? queued.shift() : undefined;
    const body = parsed(await read(request));
    received.push({ path, idempotencyKey: key, authorization, body });

    if (!routed)
      return answer(response, 404, {
        error: { code: "not_found", message: `no route ${request.method} ${path}` },
      });
    if (authorization !== `Bearer ${apiKey}`)
      return answer(response, 401, {
        error: { code: "unauthorized", message: `unknown API key in ${JSON.stringify(authorization ?? "")}` },
      });
    if (key === undefined || key === "")
      return answer(response, 400, {
        error: { code: "missing_idempotency_key", message: "send Idempotency-Key" },
      });

    if (behaviour?.kind === "unavailable") {
      const headers: Record<string, string> =
        behaviour.retryAfter === undefined ? {} : { "retry-after": behaviour.retryAfter };
      return answer(
        response,
        behaviour.status ?? 503,
        `overloaded; try again (request had ${authorization})`,
        headers,
      );
    }
    if (behaviour?.kind === "stall") return;
    if (behaviour?.kind === "unreadable") return answer(response, 200, "<html>welcome</html>");
    if (behaviour?.kind === "answer")
      return answer(response, behaviour.status, behaviour.body, behaviour.headers);

    const kind = path.endsWith("/charges") ? "charge" : "refund";
    let status = 200;
    let outcome: unknown;
    let replay = false;
    try {
      outcome = kind === "charge" ? await charge(key, body) : await refund(key, body);
      // Checked and marked after the decision, in one synchronous step, so two requests with one key
      // arriving together count as one decision and one replay, whichever the ledger answered first.
      replay = decided.has(`${kind}:${key}`);
      decided.add(`${kind}:${key}`);
      if (replay) bump(replayed, key);
      else if (kind === "refund") bump(refunded, key);
      else if ((outcome as { outcome: string }).outcome === "approved") bump(taken, key);
    } catch (error) {
      if (!(error instanceof PaymentRequestRefused)) throw error;
      status = refusalStatus(error.code);
      outcome = { error: { code: error.code, message: error.message } };
    }
    const headers: Record<string, string> = replay ? { "idempotent-replayed": "true" } : {};
    if (behaviour?.kind === "drop-answer") {
      request.socket.destroy();
      return;
    }
    if (behaviour?.kind === "late") {
      if (behaviour.delayMs === undefined) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer(response, status, outcome, headers);
      }, behaviour.delayMs);
      timers.add(timer);
      return;
    }
    answer(response, status, outcome, headers);
  }

  function charge(key: string, body: unknown) {
    const { orderId, amount } = fields(body);
    return ledger.charge({ idempotencyKey: key, orderId, amount });
  }

  function refund(key: string, body: unknown) {
    const { orderId, amount, paymentReference } = fields(body);
    if (typeof paymentReference !== "string") throw invalid("paymentReference is missing");
    return ledger.refund({ idempotencyKey: key, orderId, amount, paymentReference });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}${PREFIX}`,
    apiKey,
    received,
    next: (...behaviours) => queued.push(...behaviours),
    failTimes: (times, retryAfter) => {
      for (let i = 0; i < times; i++) queued.push({ kind: "unavailable", status: 503, retryAfter });
    },
    declineOrder: (orderId, reason) => ledger.declineWhen(declineOrders([orderId], reason)),
    chargesTaken: (key) => taken.get(key) ?? 0,
    refundsMade: (key) => refunded.get(key) ?? 0,
    replays: (key) => replayed.get(key) ?? 0,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      // Stalled and late requests hold their connections open; close() alone would wait for them.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function refusalStatus(code: string): number {
  if (code === REFUSAL.keyReused) return 409;
  if (code === REFUSAL.unknownPayment) return 404;
  return 422;
}

function fields(body: unknown): { orderId: string; amount: PaymentAmount; paymentReference?: unknown } {
  if (body === null || typeof body !== "object") throw invalid("the body is not a JSON object");
  const { orderId, amount, paymentReference } = body as Record<string, unknown>;
  if (typeof orderId !== "string") throw invalid("orderId is missing");
  if (amount === null || typeof amount !== "object") throw invalid("amount is missing");
  const { amountMinor, currency } = amount as Record<string, unknown>;
  if (typeof amountMinor !== "number" || typeof currency !== "string")
    throw invalid("amount needs amountMinor and currency");
  return { orderId, amount: { amountMinor, currency }, paymentReference };
}

function invalid(message: string): PaymentRequestRefused {
  return new PaymentRequestRefused("invalid_request", message);
}

function answer(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const json = typeof body !== "string";
  response.writeHead(status, {
    "content-type": json ? "application/json" : "text/plain",
    ...headers,
  });
  response.end(json ? JSON.stringify(body) : body);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

async function read(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

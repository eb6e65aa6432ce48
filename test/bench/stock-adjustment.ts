/**
 * The write the write-path scenario measures: `POST /api/v1/products/:id/stock-adjustments`, keel's
 * AdjustStock command. Shared by the harness (seeding, checking, loading) and the raw-pg server,
 * which answers with the same envelope keel does.
 */
import type { RequestShape } from "./lib/measure.js";

export const ADJUSTMENT = { delta: 1, reason: "bench" };
export const ADJUSTMENT_MESSAGE = "stock adjusted";
export const JSON_TYPE = "application/json; charset=utf-8";

/** Group 1 is the (still URL-encoded) product id. */
export const ADJUSTMENT_PATH = /^\/api\/v1\/products\/([^/?]+)\/stock-adjustments(?:\?.*)?$/;

export function adjustmentPath(id: string): string {
  return `/api/v1/products/${encodeURIComponent(id)}/stock-adjustments`;
}

/** keel's answer to a command: the aggregate's id and its version after the change. */
export function writtenEnvelope(id: string, version: number) {
  return { code: "OK", message: ADJUSTMENT_MESSAGE, data: { id, version } };
}

/** Request headers of a write: JSON, and the caller's `Authorization` when it has one (keel). */
export function writeHeaders(authorization?: string): Record<string, string> {
  return {
    "content-type": "application/json",
    ...(authorization === undefined ? {} : { authorization }),
  };
}

/**
 * Concurrent adjustments of one product conflict (optimistic concurrency, then retries), which would
 * measure retries rather than throughput. Requests take the products in turn instead: with more
 * products than twice the connections, two requests in flight never share one. `authorization` goes
 * on every request (keel's bench admin); the raw baseline takes none.
 */
export function roundRobinAdjustments(productIds: readonly string[], authorization?: string): RequestShape {
  const paths = productIds.map(adjustmentPath);
  if (paths.length === 0) throw new Error("no product to adjust");
  let next = 0;
  return {
    requests: [
      {
        method: "POST",
        headers: writeHeaders(authorization),
        body: JSON.stringify(ADJUSTMENT),
        setupRequest(request) {
          const path = paths[next % paths.length];
          next += 1;
          return { ...request, path };
        },
      },
    ],
  };
}

/**
 * Creates `count` products through keel's API (a few at a time) as the signed-in `authorization`
 * (product:write); resolves their ids in order.
 */
export async function seedProducts(origin: string, count: number, authorization: string): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next;
      next += 1;
      ids[n] = await createProduct(origin, n, authorization);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return ids;
}

async function createProduct(origin: string, n: number, authorization: string): Promise<string> {
  // Stock far above what a run adds or removes, so no adjustment is refused for the amount.
  const product = { name: `Bench ${n}`, sku: `BENCH-${n}`, price: 1999, currency: "EUR", stock: 1_000_000 };
  const response = await fetch(`${origin}/api/v1/products`, {
    method: "POST",
    headers: writeHeaders(authorization),
    body: JSON.stringify(product),
  });
  const text = await response.text();
  const id = envelopeData(parseJson(text))?.id;
  if (response.status !== 201 || typeof id !== "string") {
    throw new Error(`seeding product ${n} failed: POST /api/v1/products answered ${response.status} ${text}`);
  }
  return id;
}

/** `data` of a `{ code, message, data }` envelope, when it is an object. */
export function envelopeData(body: unknown): Record<string, unknown> | undefined {
  if (typeof body !== "object" || body === null || !("data" in body)) return undefined;
  const data = body.data;
  return typeof data === "object" && data !== null ? (data as Record<string, unknown>) : undefined;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The response keel's `GET /api/v1/products/:id` sends for the benchmark's seeded product. The bare
 * servers build it with this function on every request (never a cached string) so that they pay the
 * same object-building and JSON.stringify cost keel pays; the harness checks each target's body
 * against it before measuring, so the comparison is between servers returning the same bytes.
 */
export function productEnvelope(id: string) {
  return {
    code: "OK",
    message: "product found",
    data: {
      id,
      name: "Bench widget",
      sku: "BENCH-1",
      price: 1999,
      currency: "EUR",
      stock: 100,
      reserved: 0,
      available: 100,
      version: 1,
      created_at: BENCH_TIMESTAMP,
      updated_at: BENCH_TIMESTAMP,
    },
  };
}

/** Bare servers answer with this instant; keel's own timestamps are normalised to it before comparing. */
export const BENCH_TIMESTAMP = "2026-01-01T00:00:00.000Z";

/** The id the bare servers are asked for; keel is asked for the id it generated when seeded. */
export const BARE_PRODUCT_ID = "6f1c2b7e-3d4a-4e8b-9c1d-2a5b7e9f0c13";

/** Path of one product; group 1 is the (still URL-encoded) id. A query string is tolerated, as keel does. */
export const PRODUCT_PATH = /^\/api\/v1\/products\/([^/?]+)(?:\?.*)?$/;

/** The path's id, decoded as a router would; undefined when the path is not a product or is malformed. */
export function productIdFromPath(url: string): string | undefined {
  const encoded = PRODUCT_PATH.exec(url)?.[1];
  if (encoded === undefined) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

/** Port from env `PORT` (0 = ephemeral), shared by the bare servers. */
export function portFromEnv(): number {
  const port = Number(process.env.PORT ?? "0");
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`invalid PORT: ${process.env.PORT}`);
  return port;
}

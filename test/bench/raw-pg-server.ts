/**
 * The write path's floor: keel's AdjustStock transaction — the same three statements, the same SQL
 * text, on a pg pool of the same size and settings — behind bare node:http, with no framework, no
 * domain model and no logging. Run as its own process by the harness (env DATABASE_URL, POOL_SIZE);
 * prints `LISTENING <port>` once it accepts connections.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { portFromEnv } from "./product-envelope.js";
import { ADJUSTMENT_PATH, JSON_TYPE, parseJson, writtenEnvelope } from "./stock-adjustment.js";

// The statements Kysely compiles in KyselyProductRepository.get/save and appendEvents, verbatim.
const SELECT_PRODUCT = 'select * from "products" where "id" = $1';
const UPDATE_PRODUCT =
  'update "products" set "name" = $1, "sku" = $2, "price_minor" = $3, "currency" = $4, "on_hand" = $5, ' +
  '"reserved" = $6, "version" = $7, "updated_at" = $8 where "id" = $9 and "version" = $10';
const INSERT_EVENT =
  'insert into "events" ("id", "aggregate_type", "aggregate_id", "aggregate_version", "type", "data", ' +
  '"metadata", "occurred_at") values ($1, $2, $3, $4, $5, $6, $7, $8)';

interface ProductRow {
  readonly name: string;
  readonly sku: string;
  readonly price_minor: string;
  readonly currency: string;
  readonly on_hand: number;
  readonly reserved: number;
  readonly version: number;
}

const connectionString = process.env.DATABASE_URL;
if (connectionString === undefined) throw new Error("DATABASE_URL is required");

// keel's pool settings (postgres-database.ts with its defaults), so both sides queue alike.
const pool = new pg.Pool({
  connectionString,
  max: Number(process.env.POOL_SIZE ?? "10"),
  connectionTimeoutMillis: 5000,
  statement_timeout: 15000,
  application_name: "keel-bench-raw-pg",
});
pool.on("error", (error) => process.stderr.write(`idle connection failed: ${error.message}\n`));

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    if (!res.headersSent) reply(res, 500, { code: "INTERNAL", message: "internal error" });
  });
});

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const encoded =
    req.method === "POST" && req.url !== undefined ? ADJUSTMENT_PATH.exec(req.url)?.[1] : undefined;
  if (encoded === undefined) {
    reply(res, 404, { code: "NOT_FOUND", message: "route not found" });
    return;
  }
  const body = parseJson(await readBody(req));
  const delta = field(body, "delta");
  const reason = field(body, "reason");
  if (
    typeof delta !== "number" ||
    !Number.isSafeInteger(delta) ||
    delta === 0 ||
    typeof reason !== "string"
  ) {
    reply(res, 400, { code: "VALIDATION_FAILED", message: "delta and reason are required" });
    return;
  }
  const id = decodeURIComponent(encoded);
  const version = await adjustStock(id, delta, reason.trim());
  if (version === "not-found") reply(res, 404, { code: "NOT_FOUND", message: "product not found" });
  else if (version === "conflict") reply(res, 409, { code: "CONCURRENT_MODIFICATION", message: "retry" });
  else reply(res, 200, writtenEnvelope(id, version));
}

/** One transaction on one pooled connection, as keel's unit of work runs it; the new version. */
async function adjustStock(
  id: string,
  delta: number,
  reason: string,
): Promise<number | "not-found" | "conflict"> {
  const client = await pool.connect();
  // A connection whose rollback failed is in an unknown state: the pool must close it, not reuse it.
  let broken = false;
  try {
    await client.query("begin");
    const row = (await client.query<ProductRow>(SELECT_PRODUCT, [id])).rows[0];
    if (row === undefined) {
      await client.query("rollback");
      return "not-found";
    }
    const version = row.version + 1;
    const now = new Date();
    const updated = await client.query(UPDATE_PRODUCT, [
      row.name,
      row.sku,
      row.price_minor,
      row.currency,
      row.on_hand + delta,
      row.reserved,
      version,
      now,
      id,
      row.version,
    ]);
    if (updated.rowCount === 0) {
      await client.query("rollback");
      return "conflict";
    }
    await client.query(INSERT_EVENT, [
      randomUUID(),
      "product",
      id,
      version,
      "product.stock_adjusted",
      JSON.stringify({ delta, reason }),
      JSON.stringify({ correlationId: randomUUID(), principal: "anonymous" }),
      now,
    ]);
    await client.query("commit");
    return version;
  } catch (error) {
    await client.query("rollback").catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function field(body: unknown, name: string): unknown {
  return typeof body === "object" && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

function reply(res: ServerResponse, status: number, envelope: object): void {
  const text = JSON.stringify(envelope);
  res.writeHead(status, { "content-type": JSON_TYPE, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

server.listen(portFromEnv(), "127.0.0.1", () => {
  process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`);
});

/**
 * `GET /api/v1/products/:id` through the full keel stack, against bare Koa and bare node:http
 * returning the same JSON. Goal from the issue: keel at 60% or more of bare Koa's req/s.
 *
 * Product reads are public, so the load is anonymous (keel still counts each request against the
 * client address's rate limit); only the seeding write signs in, as the bench admin.
 */
import { isDeepStrictEqual } from "node:util";
import type { HttpTarget, StartedTarget } from "./lib/http-targets.js";
import { measureTargets, selectTargets } from "./lib/http-targets.js";
import { startSignedInKeel } from "./lib/keel.js";
import type { BenchParams } from "./lib/params.js";
import { judge, printComparison, ratios } from "./lib/report.js";
import type { Scenario, ScenarioOutcome } from "./lib/scenario.js";
import { type RunningServer, spawnServer } from "./lib/spawn-server.js";
import { BARE_PRODUCT_ID, BENCH_TIMESTAMP, productEnvelope, productIdFromPath } from "./product-envelope.js";

const PRODUCT_URL_PATH = "/api/v1/products/";
const JSON_TYPE = "application/json; charset=utf-8";

/** The seeded product; its fields are the ones productEnvelope() answers with. */
const NEW_PRODUCT = { name: "Bench widget", sku: "BENCH-1", price: 1999, currency: "EUR", stock: 100 };

const targets: readonly HttpTarget[] = [
  bareTarget("node", "bare node:http server", "test/bench/bare-node-server.ts"),
  bareTarget("koa", "bare Koa server, one middleware", "test/bench/bare-koa-server.ts"),
  {
    name: "keel",
    description: "keel serve, production profile, in-memory adapters, info logging",
    async start() {
      const { server, authorization } = await startSignedInKeel();
      try {
        const id = await seedProduct(server.origin, authorization);
        return { url: `${server.origin}${PRODUCT_URL_PATH}${encodeURIComponent(id)}`, server };
      } catch (error) {
        await server.stop();
        throw error;
      }
    },
  },
];

export const httpRead: Scenario = {
  name: "http-read",
  description: "GET /api/v1/products/:id: keel vs bare Koa vs bare node:http, same JSON body",
  async run(params: BenchParams): Promise<ScenarioOutcome | undefined> {
    const selected = selectTargets(targets, params);
    if (selected.length === 0) return undefined;
    const results = await measureTargets(selected, params, checkAnswer);
    const found = ratios(results, [
      ["keel", "koa"],
      ["keel", "node"],
      ["koa", "node"],
    ]);
    const goal = judge({ numerator: "keel", denominator: "koa", min: 0.6 }, results);
    printComparison(this.description, results, found, [goal]);
    return { result: { targets: results, ratios: found, goal } };
  },
};

function bareTarget(name: string, description: string, entry: string): HttpTarget {
  return {
    name,
    description,
    async start(): Promise<StartedTarget> {
      const server: RunningServer = await spawnServer({
        name,
        entry,
        env: { PORT: "0" },
        readiness: { kind: "stdout-line" },
      });
      return { url: `${server.origin}${PRODUCT_URL_PATH}${BARE_PRODUCT_ID}`, server };
    },
  };
}

export async function seedProduct(origin: string, authorization: string): Promise<string> {
  const response = await fetch(`${origin}${PRODUCT_URL_PATH.slice(0, -1)}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization },
    body: JSON.stringify(NEW_PRODUCT),
  });
  const text = await response.text();
  const id = createdId(parseJson(text));
  if (response.status !== 201 || id === undefined) {
    throw new Error(`seeding the product failed: POST answered ${response.status} ${text}`);
  }
  return id;
}

/** `data.id` of a `{ code, message, data }` envelope. */
function createdId(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || !("data" in body)) return undefined;
  const data = body.data;
  if (typeof data !== "object" || data === null || !("id" in data)) return undefined;
  return typeof data.id === "string" ? data.id : undefined;
}

/**
 * Every target must answer 200 with the same JSON, or the ratios compare different work. A target
 * loaded with a token (the tracing scenario's authenticated reads) is checked with it.
 */
export async function checkAnswer(target: StartedTarget): Promise<void> {
  const id = productIdFromPath(new URL(target.url).pathname);
  if (id === undefined) throw new Error(`not a product URL: ${target.url}`);
  const authorization = target.authorization;
  const response = await fetch(target.url, authorization === undefined ? {} : { headers: { authorization } });
  const text = await response.text();
  const type = response.headers.get("content-type");
  const expected = productEnvelope(id);
  if (
    response.status !== 200 ||
    type !== JSON_TYPE ||
    !isDeepStrictEqual(withBenchTimestamps(parseJson(text)), expected)
  ) {
    throw new Error(
      `${target.server.name} does not answer like the others: GET ${target.url}\n` +
        `  got:      ${response.status} ${type} ${text}\n` +
        `  expected: 200 ${JSON_TYPE} ${JSON.stringify(expected)}`,
    );
  }
}

/** keel stamps real creation times; same shape and length, so only the values are normalised. */
function withBenchTimestamps(body: unknown): unknown {
  if (typeof body !== "object" || body === null || !("data" in body)) return body;
  const data = body.data as Record<string, unknown>;
  const stamp = (value: unknown) =>
    typeof value === "string" && value.length === BENCH_TIMESTAMP.length && !Number.isNaN(Date.parse(value))
      ? BENCH_TIMESTAMP
      : value;
  return {
    ...body,
    data: { ...data, created_at: stamp(data.created_at), updated_at: stamp(data.updated_at) },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

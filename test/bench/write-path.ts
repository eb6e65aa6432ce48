/**
 * The write path: keel's AdjustStock command (`POST /api/v1/products/:id/stock-adjustments`; one
 * transaction: select, versioned update, event insert) through the full stack on real PostgreSQL,
 * against raw-pg (the same statements behind bare node:http, the floor), with keel on embedded
 * PGlite beside them. No goal: the ratios say what the stack and the embedded database cost.
 *
 * keel's writes need product:write: each keel process signs the bench admin in once, and every
 * seeding and measured request carries its bearer token, so keel verifies a JWT and counts two rate
 * limits per request. raw-pg takes no credentials and counts nothing; the notes under the table say so.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { registerCleanup } from "./lib/cleanup.js";
import type { HttpTarget, StartedTarget } from "./lib/http-targets.js";
import { measureTargets, progress, selectTargets } from "./lib/http-targets.js";
import { BENCH_RATE_LIMIT_ENV, type SignedInKeel, startSignedInKeel } from "./lib/keel.js";
import type { BenchParams } from "./lib/params.js";
import {
  assertPostgresReachable,
  BENCH_DATABASE_URL,
  type BenchSchema,
  createBenchSchema,
  redacted,
} from "./lib/postgres-schema.js";
import { printComparison, ratios } from "./lib/report.js";
import type { Scenario, ScenarioOutcome } from "./lib/scenario.js";
import { type RunningServer, spawnServer } from "./lib/spawn-server.js";
import {
  ADJUSTMENT,
  ADJUSTMENT_PATH,
  adjustmentPath,
  JSON_TYPE,
  parseJson,
  roundRobinAdjustments,
  seedProducts,
  writeHeaders,
  writtenEnvelope,
} from "./stock-adjustment.js";

/** keel's pool size (its default unless DATABASE__POOL_SIZE says otherwise); raw-pg gets the same. */
export const POOL_SIZE = process.env.DATABASE__POOL_SIZE ?? "10";
const POSTGRES_TARGETS: readonly string[] = ["keel-postgres", "raw-pg"];

export const writePath: Scenario = {
  name: "write-path",
  description:
    "POST /api/v1/products/:id/stock-adjustments: keel on PostgreSQL vs raw pg (same statements) vs keel on PGlite",
  async run(params: BenchParams): Promise<ScenarioOutcome | undefined> {
    const products = productCount(params);
    const selected = selectTargets(targets(products), params);
    if (selected.length === 0) return undefined;
    if (selected.some((target) => POSTGRES_TARGETS.includes(target.name))) await assertPostgresReachable();
    const results = await measureTargets(selected, params, checkAdjustments);
    const found = ratios(results, [
      ["keel-postgres", "raw-pg"],
      ["keel-pglite", "keel-postgres"],
    ]);
    printComparison(this.description, results, found, []);
    process.stdout.write(`${notes().join("\n")}\n`);
    return {
      result: {
        targets: results,
        ratios: found,
        load: {
          request: "POST /api/v1/products/:id/stock-adjustments",
          body: ADJUSTMENT,
          products,
          order: "round-robin",
          // What keel does per request beyond the statements raw-pg runs.
          keel: {
            authorization:
              "Bearer <access token> of the bench admin (JWT, HS256), signed in once per process",
            rateLimits: { ...BENCH_RATE_LIMIT_ENV, RATE_LIMIT__STORE: rateLimitStore() },
          },
          rawPg: { authorization: "none", rateLimits: "none" },
        },
        postgres: { url: redacted(BENCH_DATABASE_URL), poolSize: Number(POOL_SIZE) },
      },
    };
  },
};

/** Enough products that the requests in flight (at most connections × pipelining) never share one. */
export function productCount(params: BenchParams): number {
  return Math.max(200, 4 * params.connections * params.pipelining);
}

function targets(products: number): HttpTarget[] {
  return [
    {
      name: "keel-postgres",
      description: `keel serve, production profile, PostgreSQL (pool of ${POOL_SIZE}), info logging`,
      start: () =>
        inFreshSchema(async (schema) => seeded(await startSignedInKeel(postgresKeelEnv(schema)), products)),
    },
    {
      name: "raw-pg",
      description: `bare node:http + pg pool of ${POOL_SIZE}: the same three statements in one transaction`,
      start: () =>
        inFreshSchema(async (schema) => {
          // keel migrates and seeds, so raw-pg starts from exactly the rows and events keel-postgres did.
          const keel = await startSignedInKeel(postgresKeelEnv(schema));
          const ids = await seed(keel, products).finally(() => keel.server.stop());
          const server = await spawnServer({
            name: "raw-pg",
            entry: "test/bench/raw-pg-server.ts",
            env: { PORT: "0", DATABASE_URL: schema.url, POOL_SIZE },
            readiness: { kind: "stdout-line" },
          });
          // No credentials: raw-pg checks none.
          return loaded(server, ids);
        }),
    },
    {
      name: "keel-pglite",
      description: "keel serve, production profile, embedded PGlite (one connection), info logging",
      async start() {
        const dataDir = await mkdtemp(join(tmpdir(), "keel-bench-pglite-"));
        const remove = registerCleanup(() => rm(dataDir, { recursive: true, force: true }));
        return owning(remove, async () => {
          const keel = await startSignedInKeel({
            PERSISTENCE__DRIVER: "pglite",
            PGLITE__DATA_DIR: dataDir,
            ALLOW_EMBEDDED_DATABASE: "true",
            DATABASE__MIGRATE_ON_START: "true",
          });
          return seeded(keel, products);
        });
      },
    },
  ];
}

export function postgresKeelEnv(schema: BenchSchema): Record<string, string> {
  return {
    PERSISTENCE__DRIVER: "postgres",
    DATABASE__URL: schema.url,
    DATABASE__MIGRATE_ON_START: "true",
    DATABASE__POOL_SIZE: POOL_SIZE,
  };
}

export async function inFreshSchema(
  start: (schema: BenchSchema) => Promise<StartedTarget>,
): Promise<StartedTarget> {
  const schema = await createBenchSchema();
  progress(`schema ${schema.name} created`);
  return owning(schema.drop, () => start(schema));
}

/**
 * Ties `cleanup` (a schema, a data directory) to the target: run when its server stops, or at once if
 * it never starts.
 */
async function owning(
  cleanup: () => Promise<void>,
  start: () => Promise<StartedTarget>,
): Promise<StartedTarget> {
  let started: StartedTarget;
  try {
    started = await start();
  } catch (error) {
    // The start's failure is the one to report; a cleanup failing too is only mentioned.
    await cleanup().catch((cleanupError: unknown) => progress(String(cleanupError)));
    throw error;
  }
  const server = started.server;
  const owner: RunningServer = {
    name: server.name,
    origin: server.origin,
    outputTail: () => server.outputTail(),
    async stop() {
      try {
        await server.stop();
      } finally {
        await cleanup();
      }
    },
  };
  return { ...started, server: owner };
}

/** keel started, signed in and seeded; its load carries the bench admin's token. Stopped again if seeding fails. */
export async function seeded(keel: SignedInKeel, products: number): Promise<StartedTarget> {
  try {
    return loaded(keel.server, await seed(keel, products), keel.authorization);
  } catch (error) {
    await keel.server.stop();
    throw error;
  }
}

async function seed(keel: SignedInKeel, products: number): Promise<string[]> {
  progress(`seeding ${products} products through keel's API`);
  return seedProducts(keel.server.origin, products, keel.authorization);
}

/**
 * The URL names the first product (the one checked); the load takes every product in turn, each
 * request with `authorization` when the target takes one.
 */
function loaded(server: RunningServer, ids: readonly string[], authorization?: string): StartedTarget {
  const [first] = ids;
  if (first === undefined) throw new Error("no product seeded");
  return {
    url: `${server.origin}${adjustmentPath(first)}`,
    request: roundRobinAdjustments(ids, authorization),
    server,
    ...(authorization === undefined ? {} : { authorization }),
  };
}

/**
 * Every target must answer like keel before it is measured. Two adjustments of a fresh product must
 * answer versions 2 then 3: the second version is read back from the database, so it also proves the
 * first transaction committed.
 */
export async function checkAdjustments(target: StartedTarget): Promise<void> {
  const encoded = ADJUSTMENT_PATH.exec(new URL(target.url).pathname)?.[1];
  if (encoded === undefined) throw new Error(`not a stock-adjustment URL: ${target.url}`);
  const id = decodeURIComponent(encoded);
  for (const version of [2, 3]) {
    const response = await fetch(target.url, {
      method: "POST",
      headers: writeHeaders(target.authorization),
      body: JSON.stringify(ADJUSTMENT),
    });
    const text = await response.text();
    const type = response.headers.get("content-type");
    const expected = writtenEnvelope(id, version);
    if (response.status !== 200 || type !== JSON_TYPE || !isDeepStrictEqual(parseJson(text), expected)) {
      throw new Error(
        `${target.server.name} does not adjust stock like keel: POST ${target.url}\n` +
          `  got:      ${response.status} ${type} ${text}\n` +
          `  expected: 200 ${JSON_TYPE} ${JSON.stringify(expected)}\n` +
          `--- last output of ${target.server.name} ---\n${target.server.outputTail()}`,
      );
    }
  }
}

/** The per-request limiter's store: the production profile's default unless the environment says otherwise. */
function rateLimitStore(): string {
  return process.env.RATE_LIMIT__STORE ?? "redis";
}

/** What the ratios compare: keel does more per request than the statements raw-pg runs. */
function notes(): string[] {
  const store = rateLimitStore();
  const cost = store === "redis" ? "redis, a Redis round trip each" : store;
  return [
    "keel-postgres and keel-pglite requests carry `Authorization: Bearer <access token>` (the bench admin, signed in",
    "once per keel process): keel verifies the JWT (HS256), checks product:write, and counts each request against",
    `its per-address and per-principal rate limits (RATE_LIMIT__STORE=${cost}; 1,000,000 per second, so none`,
    "ever refuses). raw-pg does neither: the keel-postgres/raw-pg ratio includes that cost.",
    "",
  ];
}

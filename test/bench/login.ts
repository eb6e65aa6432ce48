/**
 * Logins: `POST /api/v1/auth/token` with the password grant (one argon2id verification each) at the
 * configured argon2 parameters, and with the refresh_token grant (no argon2) for contrast, each at a
 * few connection counts. The ceiling is argon2.verify itself at the same parameters, measured in the
 * harness process while no server runs: one verification in flight (one libuv thread), one per core,
 * and one per libuv thread. No goal: the ratios say how much of that ceiling keel reaches.
 *
 * Environment: BENCH_LOGIN_CONNECTIONS (1,8), BENCH_LOGIN_USERS (8); ARGON2__* (keel's defaults
 * otherwise) go to keel and to the in-process measurement alike. BENCH_ONLY=password,refresh,argon2.
 */
import { availableParallelism } from "node:os";
import { createHistogram } from "node:perf_hooks";
import * as argon2 from "argon2";
import { defaultArgon2Options } from "../../src/adapters/security/argon2-password-hasher.js";
import {
  FORM,
  passwordForm,
  passwordGrant,
  TOKEN_PATH,
  type TokenResponse,
  tokenCall,
  tokenResponse,
} from "./lib/auth.js";
import type { HttpTarget, StartedTarget, TargetResult } from "./lib/http-targets.js";
import { measureTargets, progress } from "./lib/http-targets.js";
import { startKeel } from "./lib/keel.js";
import type { RequestShape } from "./lib/measure.js";
import { round } from "./lib/measure.js";
import type { BenchParams } from "./lib/params.js";
import { printComparison, type Ratio, ratios } from "./lib/report.js";
import type { Scenario, ScenarioOutcome } from "./lib/scenario.js";
import type { RunningServer } from "./lib/spawn-server.js";
import { parseJson } from "./stock-adjustment.js";

const PASSWORD = "bench login passphrase, long enough";

const ARGON2 = {
  memoryCostKiB: integerEnv("ARGON2__MEMORY_KIB", defaultArgon2Options.memoryCostKiB),
  timeCost: integerEnv("ARGON2__TIME_COST", defaultArgon2Options.timeCost),
  parallelism: integerEnv("ARGON2__PARALLELISM", defaultArgon2Options.parallelism),
};
const ARGON2_FROM_ENV = ["ARGON2__MEMORY_KIB", "ARGON2__TIME_COST", "ARGON2__PARALLELISM"].some(
  (name) => (process.env[name] ?? "") !== "",
);
/** libuv's pool, where argon2 (the package) runs each hash: keel inherits this environment too. */
const THREADPOOL = integerEnv("UV_THREADPOOL_SIZE", 4);
const CORES = availableParallelism();
/** Verifications in flight for the ceiling: one, one per core, one per pool thread. */
const IN_FLIGHT = [...new Set([1, CORES, THREADPOOL])].sort((a, b) => a - b);

/**
 * Limits off, overriding the never-refusing limits keel.ts gives the other scenarios: at keel's
 * defaults the per-IP limit (RATE_LIMIT__IP__POINTS, 600 per minute) covers the token endpoint and
 * would hold the run at 10 req/s, and even limits that never refuse would add their counters (and
 * the login throttle's) to what is measured as the login. The memory store, so the production
 * profile's Redis store is not needed either.
 */
const KEEL_ENV = {
  RATE_LIMIT__ENABLED: "false",
  RATE_LIMIT__STORE: "memory",
  ARGON2__MEMORY_KIB: String(ARGON2.memoryCostKiB),
  ARGON2__TIME_COST: String(ARGON2.timeCost),
  ARGON2__PARALLELISM: String(ARGON2.parallelism),
};

type Grant = "password" | "refresh";

export const login: Scenario = {
  name: "login",
  description:
    "POST /api/v1/auth/token: password grants (argon2id) and refresh_token grants, against argon2.verify in-process",
  async run(params: BenchParams): Promise<ScenarioOutcome | undefined> {
    const connections = connectionCounts();
    const users = integerEnv("BENCH_LOGIN_USERS", 8);
    const only = params.onlyTargets;
    const grants = (["password", "refresh"] as const).filter((g) => only === undefined || only.includes(g));
    const measureArgon2 = only === undefined || only.includes("argon2");
    if (grants.length === 0 && !measureArgon2) return undefined;

    // A login request in flight is one verification at a time; pipelining would only queue them.
    const load = { ...params, pipelining: 1 };
    // First, while no server runs: the ceiling must not share the machine with keel.
    const ceiling: TargetResult[] = [];
    if (measureArgon2) {
      for (const inFlight of IN_FLIGHT) ceiling.push(await argon2Verifies(inFlight, params));
    }
    const results: TargetResult[] = [];
    for (const grant of grants) {
      for (const c of connections) {
        const target = grant === "password" ? passwordTarget(c, users) : refreshTarget(c, users);
        const check = grant === "password" ? checkPasswordGrant : checkRefreshGrant;
        results.push(...(await measureTargets([target], { ...load, connections: c }, check)));
      }
    }

    const all = [...results, ...ceiling];
    const pairs: [string, string][] = [];
    for (const c of connections) {
      const password = grantName("password", c);
      // Each connection keeps one verification in flight, up to the pool's threads: compared with the
      // same number in flight in-process, and with one per core (more threads than cores may be slower).
      const levels = [...new Set([Math.min(c, THREADPOOL), Math.min(c, CORES)])];
      for (const level of levels) pairs.push([password, argon2Name(level)]);
      pairs.push([password, grantName("refresh", c)]);
    }
    const found = ratios(all, pairs);
    printComparison(this.description, all, found, []);
    process.stdout.write(`${notes(connections, users).join("\n")}\n`);
    return {
      result: {
        targets: results,
        ceiling,
        ratios: found,
        ceilingShare: ceilingShare(found),
        load: {
          request: `POST ${TOKEN_PATH} (application/x-www-form-urlencoded)`,
          grants,
          connections,
          pipelining: 1,
          users,
        },
        argon2: {
          ...ARGON2,
          type: "argon2id",
          source: ARGON2_FROM_ENV ? "ARGON2__* environment" : "defaults",
        },
        threadpoolSize: THREADPOOL,
        cores: CORES,
        keelEnv: KEEL_ENV,
      },
    };
  },
};

function grantName(grant: Grant, connections: number): string {
  return `${grant} c=${connections}`;
}

function argon2Name(inFlight: number): string {
  return `argon2.verify x${inFlight}`;
}

function connectionCounts(): number[] {
  const raw = process.env.BENCH_LOGIN_CONNECTIONS ?? "";
  if (raw.trim() === "") return [1, 8];
  const counts = raw.split(",").map((part) => Number(part.trim()));
  if (counts.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`BENCH_LOGIN_CONNECTIONS must be integers >= 1, comma-separated, got "${raw}"`);
  return counts;
}

function integerEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be an integer >= 1, got "${raw}"`);
  return value;
}

function userEmail(n: number): string {
  return `bench-login-${n}@example.com`;
}

/** Password grants for `users` accounts in turn, so no single account's rows are all the load. */
function passwordTarget(connections: number, users: number): HttpTarget {
  return {
    name: grantName("password", connections),
    description: `keel serve, production profile, in-memory adapters, ${users} accounts in turn`,
    start: () =>
      startSeeded(users, () => {
        const bodies = Array.from({ length: users }, (_, n) => passwordForm(userEmail(n), PASSWORD));
        let next = 0;
        return {
          requests: [
            {
              method: "POST",
              headers: FORM,
              setupRequest(request) {
                const body = bodies[next % bodies.length];
                next += 1;
                return { ...request, path: TOKEN_PATH, body };
              },
            },
          ],
        };
      }),
  };
}

/**
 * Refresh tokens are single-use (each grant rotates it), so every request must present a fresh one:
 * a pool seeded by password grants, each response's new refresh token going back to it. With one
 * request in flight per connection, a connection's next request takes the token its last answer
 * brought. A run's end drops at most one token per connection, hence the spare ones.
 */
function refreshTarget(connections: number, users: number): HttpTarget {
  return {
    name: grantName("refresh", connections),
    description: `keel serve, production profile, in-memory adapters, ${4 * connections + 4} rotating tokens`,
    start: () =>
      startSeeded(users, async (server) => {
        const pool: string[] = [];
        for (let n = 0; n < 4 * connections + 4; n += 1) {
          pool.push((await userGrant(server.origin, n % users)).refresh_token);
        }
        let exhausted = false;
        return {
          requests: [
            {
              method: "POST",
              headers: FORM,
              setupRequest(request) {
                const token = pool.pop();
                if (token === undefined && !exhausted) {
                  exhausted = true;
                  progress("refresh-token pool exhausted: the next requests are refused and fail the run");
                }
                const body = new URLSearchParams({
                  grant_type: "refresh_token",
                  refresh_token: token ?? "pool-exhausted",
                }).toString();
                return { ...request, path: TOKEN_PATH, body };
              },
              onResponse(status, body) {
                const issued = status === 200 ? tokenResponse(parseJson(body))?.refresh_token : undefined;
                if (issued !== undefined) pool.push(issued);
              },
            },
          ],
        };
      }),
  };
}

/** keel started with its accounts registered; `shape` builds the load (it may sign in first). */
async function startSeeded(
  users: number,
  shape: (server: RunningServer) => RequestShape | Promise<RequestShape>,
): Promise<StartedTarget> {
  const server = await startKeel(KEEL_ENV);
  try {
    progress(`registering ${users} accounts`);
    for (let n = 0; n < users; n += 1) await register(server.origin, n);
    return { url: `${server.origin}${TOKEN_PATH}`, request: await shape(server), server };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

async function register(origin: string, n: number): Promise<void> {
  const response = await fetch(`${origin}/api/v1/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      email: userEmail(n),
      password: PASSWORD,
      given_name: "Bench",
      family_name: `${n}`,
    }),
  });
  const text = await response.text();
  if (response.status !== 201)
    throw new Error(`registering ${userEmail(n)} failed: ${response.status} ${text}`);
}

/** The password grant for registered account `n`. */
function userGrant(origin: string, n: number): Promise<TokenResponse> {
  return passwordGrant(origin, userEmail(n), PASSWORD);
}

/** The access token a grant issues must sign its account in, or the load measures something else. */
async function assertSignsIn(origin: string, token: TokenResponse, email: string): Promise<void> {
  const response = await fetch(`${origin}/api/v1/users/me`, {
    headers: { authorization: `Bearer ${token.access_token}` },
  });
  const text = await response.text();
  const body = parseJson(text) as { data?: { email?: unknown } } | undefined;
  if (response.status !== 200 || body?.data?.email !== email)
    throw new Error(`the issued access token does not sign ${email} in: ${response.status} ${text}`);
}

async function checkPasswordGrant(target: StartedTarget): Promise<void> {
  await assertSignsIn(target.server.origin, await userGrant(target.server.origin, 0), userEmail(0));
}

/** A refresh grant from a fresh sign-in (not from the pool, which the load needs whole). */
async function checkRefreshGrant(target: StartedTarget): Promise<void> {
  const origin = target.server.origin;
  const first = await userGrant(origin, 0);
  const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: first.refresh_token });
  const refreshed = await tokenCall(origin, form.toString(), "refresh grant");
  await assertSignsIn(origin, refreshed, userEmail(0));
}

/**
 * argon2.verify of a hash made at ARGON2's parameters, `inFlight` at a time, for the measured
 * duration (after the warm-up): N in flight keep N libuv threads busy (at most the pool's).
 */
async function argon2Verifies(inFlight: number, params: BenchParams): Promise<TargetResult> {
  const hash = await argon2.hash(PASSWORD, {
    type: argon2.argon2id,
    memoryCost: ARGON2.memoryCostKiB,
    timeCost: ARGON2.timeCost,
    parallelism: ARGON2.parallelism,
  });
  const run = async (seconds: number) => {
    const latencyUs = createHistogram({ lowest: 1, highest: 60_000_000, figures: 3 });
    const start = performance.now();
    const deadline = start + seconds * 1000;
    let failed = 0;
    const worker = async () => {
      while (performance.now() < deadline) {
        const began = performance.now();
        if (!(await argon2.verify(hash, PASSWORD))) failed += 1;
        latencyUs.record(Math.max(1, Math.round((performance.now() - began) * 1000)));
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    return { latencyUs, elapsedS: (performance.now() - start) / 1000, failed };
  };
  const name = argon2Name(inFlight);
  if (params.warmupSec > 0) {
    progress(`${name}: warming up for ${params.warmupSec} s`);
    await run(params.warmupSec);
  }
  progress(`${name}: measuring for ${params.durationSec} s`);
  const { latencyUs, elapsedS, failed } = await run(params.durationSec);
  if (failed > 0) throw new Error(`${name}: ${failed} verifications of the right password failed`);
  const ms = (us: number) => round(us / 1000, 3);
  return {
    name,
    description: `argon2.verify in the harness process, ${inFlight} in flight (libuv pool of ${THREADPOOL})`,
    path: "(in-process)",
    reqPerSec: round(latencyUs.count / elapsedS, 1),
    p50Ms: ms(latencyUs.percentile(50)),
    p99Ms: ms(latencyUs.percentile(99)),
    meanLatencyMs: ms(latencyUs.mean),
    maxLatencyMs: ms(latencyUs.max),
    totalRequests: latencyUs.count,
    bytesPerSec: 0,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    statusCodes: {},
    durationSec: round(elapsedS, 3),
  };
}

/** The password-grant/argon2 ratios only: the share of the verification ceiling keel reaches. */
function ceilingShare(found: readonly Ratio[]): Record<string, number> {
  return Object.fromEntries(
    found.filter((r) => r.name.includes("/argon2.verify")).map((r) => [r.name, r.reqPerSec]),
  );
}

function notes(connections: readonly number[], users: number): string[] {
  const source = ARGON2_FROM_ENV ? "from ARGON2__*" : "keel's defaults, ARGON2__* unset";
  return [
    `argon2id m=${ARGON2.memoryCostKiB} KiB, t=${ARGON2.timeCost}, p=${ARGON2.parallelism} (${source}), in keel and in-process alike.`,
    "RATE_LIMIT__ENABLED=false: with limits on, the per-IP limit (600 requests/min by default) would cap the token",
    "endpoint at 10 req/s, and the figures would measure the limiter, not the login.",
    `Connections ${connections.join(", ")}, pipelining 1; password grants cycle through ${users} registered accounts;`,
    "refresh grants present each rotated refresh token once (no argon2: JWT signing and token rows only).",
    `argon2.verify xN: N verifications in flight in the harness process, measured before any server starts;`,
    `libuv pool ${THREADPOOL} threads (UV_THREADPOOL_SIZE), ${CORES} cores. "req/s" of those rows is verifications/s; p50/p99 are per verification.`,
    "",
  ];
}

import { randomBytes } from "node:crypto";
import { Agent, request as httpRequest } from "node:http";
import fc from "fast-check";
import { ADMIN, registerAndSignIn, signIn } from "./auth.js";
import {
  type Draft,
  describeRequest,
  draftArbitrary,
  type Hints,
  type HttpRequest,
  materialize,
  type Operation,
  operationsOf,
  PRINCIPALS,
  type Principal,
} from "./openapi-fuzz.js";
import { type OpenApiDocument, SpecCheck } from "./spec-check.js";
import { call, startTestServer } from "./test-server.js";

/**
 * Drives every operation of both OpenAPI documents, as anonymous, a plain user and the admin, with
 * requests generated from the documents (openapi-fuzz.ts), against a real keel with a few products
 * and accounts made first, and holds every answer to the document (spec-check.ts). Used by the
 * bounded contract test and by `make fuzz`.
 */

export interface FuzzOptions {
  readonly seed: number;
  /** About how many requests in all: spread evenly over every operation and principal. */
  readonly requests: number;
  /** Cases driven at once. */
  readonly concurrency?: number;
  /** keel's environment on top of the fuzz defaults (e.g. PERSISTENCE__DRIVER). */
  readonly env?: Record<string, string>;
  /** Live settings applied once the resources are made (RATE_LIMIT__*: tight limits, after the set-up). */
  readonly reload?: Record<string, string>;
  /** Only operations whose operationId or path contains this. */
  readonly only?: string;
  readonly log?: (line: string) => void;
}

export interface Failure {
  readonly request: string;
  readonly status: number;
  readonly problems: readonly string[];
}

export interface FuzzReport {
  readonly seed: number;
  readonly operations: number;
  readonly requests: number;
  readonly byClass: Readonly<Record<string, number>>;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly serverErrors: number;
  /** Answers the document does not declare, or whose body it does not describe. */
  readonly offSpec: readonly Failure[];
  /** Requests valid by the document that keel refused as malformed: the two disagree on the input. */
  readonly validRefused: readonly Failure[];
  readonly durationMs: number;
  /** Operations that never answered 2xx: their success was not exercised. */
  readonly neverSucceeded: readonly string[];
}

/**
 * Fields whose rule the document states in words only, because JSON Schema cannot say it: a v2
 * price's decimal places depend on its currency (none for JPY), and its upper bound, like that of the
 * v2 price filters, is a number of minor units. A valid-by-schema value there may still be a 400.
 */
export const BEYOND_SCHEMA: readonly string[] = ["body.price.amount", "query.min_price", "query.max_price"];

/** Limits high enough that a fuzz run is not all 429s, and tokens that outlive the longest run. */
const FUZZ_ENV: Record<string, string> = {
  LOG__LEVEL: "fatal",
  RATE_LIMIT__IP__POINTS: "1000000",
  RATE_LIMIT__PRINCIPAL__POINTS: "1000000",
  RATE_LIMIT__EXPENSIVE__POINTS: "1000000",
  RATE_LIMIT__LOGIN__USERNAME_POINTS: "10000",
  RATE_LIMIT__LOGIN__IP_POINTS: "100000",
  AUTH__ACCESS_TOKEN_TTL_S: "86400",
};

const PASSWORD = "fuzzing passphrase, long enough";

export async function fuzzApi(options: FuzzOptions): Promise<FuzzReport> {
  const log = options.log ?? (() => {});
  const server = await startTestServer({ env: { ...FUZZ_ENV, ...options.env } });
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  try {
    const world = await World.create(server.url);
    if (options.reload !== undefined) {
      Object.assign(server.env, options.reload);
      const { applied } = server.store.reload();
      if (applied.length !== Object.keys(options.reload).length)
        throw new Error(
          `reloading ${Object.keys(options.reload).join(", ")} applied only ${applied.join(", ")}`,
        );
    }
    const documents: [string, OpenApiDocument][] = [];
    for (const version of ["v1", "v2"]) {
      const served = await call(`${server.url}/openapi/${version}.json`);
      if (served.status !== 200) throw new Error(`GET /openapi/${version}.json answered ${served.status}`);
      documents.push([version, served.body]);
    }
    const cases: {
      document: OpenApiDocument;
      check: SpecCheck;
      operation: Operation;
      principal: Principal;
    }[] = [];
    for (const [version, document] of documents) {
      const check = new SpecCheck(document, version);
      for (const operation of operationsOf(document)) {
        if (
          options.only !== undefined &&
          !`${operation.operationId} ${operation.path}`.includes(options.only)
        )
          continue;
        for (const principal of PRINCIPALS) cases.push({ document, check, operation, principal });
      }
    }
    const runsPerCase = Math.max(1, Math.ceil(options.requests / cases.length));
    log(`fuzz: seed ${options.seed}, ${cases.length} operations × principals, ${runsPerCase} requests each`);
    const tally = new Tally();
    const started = performance.now();
    let next = 0;
    const total = cases.length * runsPerCase;
    const progress = setInterval(() => log(`  … ${tally.requests} of ${total} requests`), 30_000);
    const worker = async () => {
      while (next < cases.length) {
        const index = next++;
        const { document, check, operation, principal } = cases[index] as (typeof cases)[number];
        const hints = world.hints(check);
        const arbitrary = draftArbitrary(document, operation, principal, hints);
        // One property per operation and principal, each with a seed of its own derived from the run's.
        await fc.assert(
          fc.asyncProperty(arbitrary, async (draft) => {
            await exchange(server.url, agent, draft, world, check, tally);
          }),
          { seed: (options.seed + index * 7919) | 0, numRuns: runsPerCase, endOnFailure: true },
        );
      }
    };
    try {
      await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
    } finally {
      clearInterval(progress);
    }
    return {
      seed: options.seed,
      operations: new Set(cases.map((c) => `${c.operation.method} ${c.operation.path}`)).size,
      requests: tally.requests,
      byClass: tally.byClass,
      byStatus: tally.byStatus,
      serverErrors: tally.serverErrors,
      offSpec: tally.offSpec,
      validRefused: tally.validRefused,
      durationMs: performance.now() - started,
      neverSucceeded: [...new Set(cases.map((c) => `${c.operation.method} ${c.operation.path}`))].filter(
        (key) => !tally.succeeded.has(key),
      ),
    };
  } finally {
    agent.destroy();
    await server.stop();
  }
}

/** Sends one draft, and holds the answer to the document. Never throws for a bad answer: it counts it. */
async function exchange(
  baseUrl: string,
  agent: Agent,
  draft: Draft,
  world: World,
  check: SpecCheck,
  tally: Tally,
): Promise<void> {
  const request = materialize(draft, world);
  const { operation } = draft;
  let answer: Awaited<ReturnType<typeof send>>;
  try {
    answer = await send(baseUrl, agent, request);
  } catch (error) {
    tally.transportFailure(describeRequest(request, draft), error);
    return;
  }
  const problems = check.check(operation.method, operation.path, answer);
  tally.count(`${operation.method} ${operation.path}`, answer.status);
  const tag = answer.etag;
  if (tag !== undefined) world.sawTag(tag);
  await world.observe(draft, request, answer.status);
  if (problems.length > 0)
    tally.offSpec.push({ request: describeRequest(request, draft), status: answer.status, problems });
  if (draft.valid && refusedAsMalformed(operation, answer)) {
    const refusal = refusalOf(answer.text);
    const paths = refusal.errors.map((e) => e.path);
    if (paths.length === 0 || !paths.every((path) => BEYOND_SCHEMA.includes(path)))
      tally.validRefused.push({
        request: describeRequest(request, draft),
        status: answer.status,
        problems: [`refused a request the document accepts: ${answer.text.slice(0, 400)}`],
      });
  }
}

/** The answers that say the request itself is malformed, not that it was refused on its merits. */
function refusedAsMalformed(operation: Operation, answer: { status: number; text: string }): boolean {
  // The OAuth2 form's conditional fields (a password grant's username...) are described in words.
  if (operation.body?.mediaType === "application/x-www-form-urlencoded") return false;
  if (answer.status === 413 || answer.status === 415) return true;
  if (answer.status !== 400) return false;
  const { code } = refusalOf(answer.text);
  return code === "VALIDATION_FAILED" || code === "MALFORMED_JSON";
}

function refusalOf(text: string): { code?: string; errors: { path: string }[] } {
  try {
    const body = JSON.parse(text);
    return { code: body?.code, errors: Array.isArray(body?.errors) ? body.errors : [] };
  } catch {
    return { errors: [] };
  }
}

interface Received {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly etag?: string;
}

function send(baseUrl: string, agent: Agent, request: HttpRequest): Promise<Received> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers["content-length"] = String(request.body.length);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${baseUrl}${request.target}`,
      { method: request.method, headers, agent, timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const etag = res.headers.etag;
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers["content-type"] ?? "",
            text: Buffer.concat(chunks).toString("utf8"),
            ...(etag === undefined ? {} : { etag }),
          });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer within 30 s")));
    // A refused oversized body: keel answers and closes before reading it all; the answer counts.
    req.on("error", reject);
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}

class Tally {
  requests = 0;
  serverErrors = 0;
  readonly byClass: Record<string, number> = { "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0 };
  readonly byStatus: Record<string, number> = {};
  readonly offSpec: Failure[] = [];
  readonly validRefused: Failure[] = [];
  readonly succeeded = new Set<string>();

  count(operation: string, status: number): void {
    this.requests++;
    const statusClass = `${Math.floor(status / 100)}xx`;
    this.byClass[statusClass] = (this.byClass[statusClass] ?? 0) + 1;
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    if (status >= 500) this.serverErrors++;
    if (status >= 200 && status < 300) this.succeeded.add(operation);
  }

  transportFailure(request: string, error: unknown): void {
    this.requests++;
    this.offSpec.push({
      request,
      status: 0,
      problems: [`no answer: ${error instanceof Error ? error.message : String(error)}`],
    });
  }
}

/**
 * What exists on the server: the two principals, other accounts, products, an API key, refresh
 * tokens to exchange and revoke, and the entity tags answered so far.
 */
class World {
  private readonly tags: string[] = [];
  /** The user's password: a password change that succeeds changes it. */
  private password = PASSWORD;
  /** The accounts deactivated lately: still fuzzed against (their 409s), next to fresh ones. */
  private readonly deactivated: string[] = [];
  private registered = 0;

  private constructor(
    private readonly url: string,
    private readonly admin: { readonly id: string; readonly token: string },
    private readonly user: { readonly id: string; readonly email: string; readonly token: string },
    private readonly others: { id: string; email: string }[],
    private readonly products: readonly string[],
    private readonly keys: readonly string[],
    private readonly refreshTokens: readonly string[],
  ) {}

  static async create(url: string): Promise<World> {
    const run = randomBytes(4).toString("hex");
    const adminTokens = await signIn(url, ADMIN.email, ADMIN.password);
    const adminHeaders = { authorization: `Bearer ${adminTokens.accessToken}` };
    const adminId = (await call(`${url}/api/v1/users/me`, { headers: adminHeaders })).body.data.id as string;
    const email = `fuzz-user-${run}@example.com`;
    const user = await registerAndSignIn(url, email, PASSWORD);
    const userHeaders = { authorization: `Bearer ${user.accessToken}` };
    const others: { id: string; email: string }[] = [];
    for (let n = 0; n < 3; n++) {
      const other = `fuzz-other-${n}-${run}@example.com`;
      const res = await call(`${url}/api/v1/users`, {
        method: "POST",
        json: { email: other, password: PASSWORD, given_name: "Other", family_name: `No ${n}` },
      });
      if (res.status !== 201)
        throw new Error(`registering ${other}: ${res.status} ${JSON.stringify(res.body)}`);
      others.push({ id: res.body.data.id, email: other });
    }
    const products: string[] = [];
    for (let n = 0; n < 3; n++) {
      const res = await call(`${url}/api/v1/products`, {
        method: "POST",
        headers: adminHeaders,
        json: { name: `Fuzzed ${n}`, sku: `FUZZ-${run}-${n}`, price: 1999, currency: "EUR", stock: 50 },
      });
      if (res.status !== 201)
        throw new Error(`creating a product: ${res.status} ${JSON.stringify(res.body)}`);
      products.push(res.body.data.id);
    }
    const key = await call(`${url}/api/v1/users/${user.userId}/api-keys`, {
      method: "POST",
      headers: userHeaders,
      json: { name: "fuzzed", permissions: [] },
    });
    if (key.status !== 201) throw new Error(`creating an API key: ${key.status} ${JSON.stringify(key.body)}`);
    const refreshTokens = [user.refreshToken];
    for (let n = 0; n < 3; n++) refreshTokens.push((await signIn(url, email, PASSWORD)).refreshToken);
    return new World(
      url,
      { id: adminId, token: adminTokens.accessToken },
      { id: user.userId, email, token: user.accessToken },
      others,
      products,
      [key.body.data.id],
      refreshTokens,
    );
  }

  existing(operation: Operation, parameter: string, principal: Principal): readonly string[] {
    if (parameter === "keyId") return this.keys;
    if (operation.path.includes("/products/")) return this.products;
    const others = [...this.others.map((o) => o.id), ...this.deactivated];
    // The admin never acts on the accounts fuzzing acts as (it could deactivate them, or itself).
    // The user acts on its own account half the time: most of what a user may do is to itself.
    return principal === "admin" ? others : others.flatMap((other) => [this.user.id, other]);
  }

  /**
   * Keeps the world usable for the requests still to come: a password change that succeeded is the
   * user's new password, and an account the admin deactivated is replaced by a fresh one.
   */
  async observe(draft: Draft, request: HttpRequest, status: number): Promise<void> {
    if (status !== 200) return;
    const { path } = draft.operation;
    if (path.endsWith("/password") && draft.principal === "user" && request.body !== undefined) {
      const changed = JSON.parse(request.body.toString("utf8")).new_password;
      if (typeof changed === "string") this.password = changed;
    }
    if (!path.endsWith("/deactivation")) return;
    const index = this.others.findIndex((other) => request.target.includes(other.id));
    const gone = this.others[index];
    if (gone === undefined) return;
    this.deactivated.push(gone.id);
    if (this.deactivated.length > 2) this.deactivated.shift();
    const email = `fuzz-fresh-${this.registered++}-${randomBytes(3).toString("hex")}@example.com`;
    const res = await call(`${this.url}/api/v1/users`, {
      method: "POST",
      json: { email, password: PASSWORD, given_name: "Fresh", family_name: "Account" },
    });
    // Under tight limits the registration may be refused: the deactivated account stays, then.
    if (res.status === 201) this.others[index] = { id: res.body.data.id, email };
  }

  seenTags(): readonly string[] {
    return this.tags;
  }

  sawTag(tag: string): void {
    this.tags.push(tag);
    if (this.tags.length > 100) this.tags.shift();
  }

  credentials(principal: Principal): Record<string, string> {
    if (principal === "anonymous") return {};
    return { authorization: `Bearer ${principal === "admin" ? this.admin.token : this.user.token}` };
  }

  /** Values that pass the rules beyond the schemas, so that valid requests reach success too. */
  hints(check: SpecCheck): Hints {
    const scopes = Object.keys(
      check.document.components?.securitySchemes?.oauth2?.flows?.password?.scopes ?? {},
    );
    const pick = <T>(of: () => readonly T[]) => fc.nat().map((n) => of()[n % of().length] as T);
    const emails = pick(() => [this.user.email, ...this.others.map((o) => o.email)]);
    const unique = fc.uuid().map((id) => id.slice(0, 8));
    return {
      accepts: (schema, value) => check.validator(JSON.stringify(schema), schema)(value),
      byName: {
        email: fc.oneof(
          unique.map((id) => `fuzz-${id}@example.com`),
          emails,
        ),
        password: pick(() => [this.password, PASSWORD, "short", "another long passphrase"]),
        current_password: pick(() => [this.password, "not the password at all"]),
        new_password: fc.constantFrom(PASSWORD, "short", "a new long passphrase"),
        sku: unique.map((id) => `SKU-${id}`),
        currency: fc.constantFrom("EUR", "USD", "JPY", "gbp", "XTS"),
        amount: fc.constantFrom("19.99", "0", "500", "0.5", "1000000"),
        price: fc.oneof(
          fc.integer({ min: 0, max: 100_000 }),
          fc.record({
            amount: fc.constantFrom("19.99", "5", "0.10"),
            currency: fc.constantFrom("EUR", "JPY"),
          }),
        ),
        stock: fc.integer({ min: 0, max: 100 }),
        delta: fc.integer({ min: -60, max: 60 }),
        roles: fc.constantFrom(["catalog-manager"], [], ["admin", "catalog-manager"], ["no-such-role"]),
        permissions: fc.subarray(scopes, { maxLength: 2 }),
        expires_at: fc.constantFrom("2099-01-01T00:00:00Z", "2001-01-01T00:00:00Z"),
        page: fc.integer({ min: 1, max: 3 }),
        page_size: fc.integer({ min: 1, max: 20 }),
        // The OAuth2 forms.
        grant_type: fc.constantFrom("password", "refresh_token"),
        username: emails,
        refresh_token: fc.constantFrom(...this.refreshTokens),
        token: fc.constantFrom(...this.refreshTokens, "not-a-token"),
        scope: fc.subarray(scopes, { maxLength: 2 }).map((s) => s.join(" ")),
      },
    };
  }
}

/** The report as the lines a run prints. */
export function summary(report: FuzzReport): string[] {
  const classes = Object.entries(report.byClass)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  const statuses = Object.entries(report.byStatus)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([k, v]) => `${k}:${v}`)
    .join(" ");
  return [
    `seed ${report.seed}: ${report.requests} requests over ${report.operations} operations in ${(report.durationMs / 1000).toFixed(1)} s`,
    `by class: ${classes}`,
    `by status: ${statuses}`,
    `5xx: ${report.serverErrors}, off-spec: ${report.offSpec.length}, valid but refused: ${report.validRefused.length}`,
    ...(report.neverSucceeded.length === 0
      ? []
      : [`never answered 2xx: ${report.neverSucceeded.join(", ")}`]),
  ];
}

/** The failures, one block each, first `limit` of them. */
export function failureLines(failures: readonly Failure[], limit = 20): string[] {
  return failures
    .slice(0, limit)
    .flatMap((f) => [`✗ ${f.request}`, `  → ${f.status}: ${f.problems.join(" | ")}`])
    .concat(failures.length > limit ? [`… and ${failures.length - limit} more`] : []);
}

import * as assert from "uvu/assert";
import { loadConfig } from "../../../src/bootstrap/app-config.js";
import {
  DEVELOPMENT_ADMIN_PASSWORD,
  DEVELOPMENT_JWT_SECRET,
} from "../../../src/bootstrap/config/definition.js";
import { test } from "../../support/uvu.js";
import { configDir, writeFiles } from "./config-dir.js";

/** Production refuses to start without a token secret of its own. */
const PRODUCTION_SECRETS = { AUTH__JWT_SECRET: "a-production-secret-of-at-least-32-bytes-long" };

function loaded(result: ReturnType<typeof loadConfig>) {
  if (!result.ok) throw new Error(`expected a valid config, got ${JSON.stringify(result.issues)}`);
  return result;
}

function refused(result: ReturnType<typeof loadConfig>) {
  if (result.ok) throw new Error("expected the config to be refused");
  return result.issues;
}

test("given no .env files and an empty environment, when loading, then every key has its development default", () => {
  const { config, sources } = loaded(loadConfig({ env: {}, dir: configDir() }));
  assert.equal(config, {
    appEnv: "development",
    http: {
      host: "0.0.0.0",
      port: 3000,
      bodyLimitBytes: 1048576,
      shutdownTimeoutMs: 10000,
      drainDelayMs: 0,
      idempotencyTtlS: 86400,
      trustProxy: false,
      proxyHops: 1,
      cors: { origins: ["http://localhost:3000", "http://localhost:5173"] },
    },
    log: { level: "info", pretty: true, file: undefined, fileMaxBytes: 104857600, fileKeep: 10 },
    api: { defaultVersion: "v1", v1: { deprecated: false, sunset: undefined } },
    features: {},
    plugins: { enabled: ["audit-log"] },
    persistence: { driver: "pglite" },
    database: {
      url: "postgres://postgres@127.0.0.1:5432/test",
      readUrl: undefined,
      poolSize: 10,
      connectTimeoutMs: 5000,
      statementTimeoutMs: 15000,
      queryTimeoutMs: 16000,
      migrateOnStart: true,
    },
    pglite: { dataDir: ".data/pglite" },
    eventBus: {
      driver: "memory",
      stream: "keel",
      duplicateWindowMs: 120000,
      maxDeliver: 5,
      ackWaitMs: 5000,
      backoffMs: [100, 1000, 5000],
    },
    nats: { url: "nats://127.0.0.1:4222" },
    relay: { batchSize: 200, pollMs: 500, maxLagS: 60 },
    worker: { inProcess: true, healthPort: 3001 },
    jobs: { concurrency: 4, pollMs: 1000, leaseMs: 30000, stopTimeoutMs: 10000 },
    metrics: { enabled: true, bearerToken: undefined },
    docs: { enabled: true },
    tracing: {
      enabled: false,
      exporter: "console",
      otlpEndpoint: "http://127.0.0.1:4318/v1/traces",
      sampleRatio: 1,
      serviceName: "keel",
    },
    mail: { driver: "log", from: "keel@localhost" },
    smtp: { host: "127.0.0.1", port: 587, secure: false, user: undefined, password: undefined },
    products: { lowStockThreshold: 5, lowStockAlertTo: "stock@localhost" },
    orders: {
      paymentTimeoutS: 900,
      paymentGateway: "memory",
      paymentGatewayUrl: undefined,
      paymentGatewayApiKey: undefined,
      paymentGatewayTimeoutMs: 10000,
    },
    auth: {
      issuer: "keel",
      audience: "keel-api",
      jwtAlgorithm: "HS256",
      jwtSecret: DEVELOPMENT_JWT_SECRET,
      jwtSigningKey: undefined,
      jwtVerificationKeys: undefined,
      accessTokenTtlS: 900,
      refreshTokenTtlS: 1209600,
      clockToleranceS: 30,
      passwordMinLength: 12,
      rolePermissions: {
        admin: ["product:write", "user:read:any", "user:write:any", "user:manage", "order:manage"],
        "catalog-manager": ["product:write"],
      },
      defaultRoles: [],
      bootstrapAdmin: { email: "admin@keel.local", password: DEVELOPMENT_ADMIN_PASSWORD },
    },
    argon2: { memoryKib: 19456, timeCost: 2, parallelism: 1 },
    rateLimit: {
      enabled: true,
      store: "memory",
      onStoreFailure: "open",
      ip: { points: 600, windowS: 60 },
      principal: { points: 1200, windowS: 60 },
      expensive: { points: 20, windowS: 900 },
      login: { usernamePoints: 5, ipPoints: 50, windowS: 900 },
    },
    redis: { url: "redis://127.0.0.1:6379", commandTimeoutMs: 1000, probeMs: 1000 },
    cache: { driver: "memory", defaultTtlS: 30, ttlS: {}, maxEntries: 10000, keyPrefix: "keel:cache" },
    allowMemoryAdapters: false,
    allowEmbeddedDatabase: false,
  });
  assert.ok(Object.values(sources).every((source) => source === "default"));
});

test("given a key in several layers, when loading, then environment beats .env.<APP_ENV>, which beats .env, which beats the default", () => {
  const dir = configDir({
    ".env": "HTTP__PORT=3001\nHTTP__HOST=from-dotenv\nLOG__LEVEL=debug\n",
    ".env.test": "HTTP__PORT=3002\nHTTP__HOST=from-test-file\n",
  });
  const { config, sources } = loaded(loadConfig({ env: { APP_ENV: "test", HTTP__PORT: "3003" }, dir }));
  assert.is(config.http.port, 3003);
  assert.is(sources.HTTP__PORT, "environment");
  assert.is(config.http.host, "from-test-file");
  assert.is(sources.HTTP__HOST, ".env.test");
  assert.is(config.log.level, "debug");
  assert.is(sources.LOG__LEVEL, ".env");
  assert.is(config.http.bodyLimitBytes, 1048576);
  assert.is(sources.HTTP__BODY_LIMIT_BYTES, "default");
});

test("given APP_ENV only in .env, when loading, then that environment's file and defaults are used", () => {
  const dir = configDir({
    ".env": "APP_ENV=test\n",
    ".env.test": "HTTP__PORT=0\n",
    ".env.development": "HTTP__PORT=1\n",
  });
  const { config } = loaded(loadConfig({ env: {}, dir }));
  assert.is(config.appEnv, "test");
  assert.is(config.http.port, 0);
  assert.is(config.log.level, "silent");
  assert.equal(config.http.cors.origins, []);
});

test("given APP_ENV in both the environment and .env, when loading, then the environment's choice picks the file", () => {
  const dir = configDir({ ".env": "APP_ENV=development\n", ".env.test": "HTTP__PORT=4000\n" });
  const { config } = loaded(loadConfig({ env: { APP_ENV: "test" }, dir }));
  assert.is(config.appEnv, "test");
  assert.is(config.http.port, 4000);
});

test("given nested keys, when loading, then each SNAKE segment becomes a camelCase property", () => {
  const env = {
    HTTP__BODY_LIMIT_BYTES: "2048",
    HTTP__CORS__ORIGINS: "https://shop.example, http://localhost:8080",
    API__V1__SUNSET: "2026-06-30",
    FEATURES__NEW_CHECKOUT: "true",
    FEATURES__DARK_MODE: "0",
  };
  const { config } = loaded(loadConfig({ env, dir: configDir() }));
  assert.is(config.http.bodyLimitBytes, 2048);
  assert.equal(config.http.cors.origins, ["https://shop.example", "http://localhost:8080"]);
  assert.is(config.api.v1.sunset, "2026-06-30");
  assert.equal(config.features, { newCheckout: true, darkMode: false });
});

test("given bad keys in several layers, when loading, then every one is listed with its value, source and expectation", () => {
  const dir = configDir({
    ".env": "LOG__LEVEL=loud\n",
    ".env.development": "HTTP__CORS__ORIGINS=https://ok.example,ftp://files.example\n",
  });
  const env = { HTTP__PORT: "eighty", FEATURES__BETA: "maybe", API__V1__SUNSET: "2025-02-30" };
  assert.equal(refused(loadConfig({ env, dir })), [
    { key: "HTTP__PORT", source: "environment", value: "eighty", expected: "integer 0..65535" },
    {
      key: "HTTP__CORS__ORIGINS",
      source: ".env.development",
      value: "https://ok.example,ftp://files.example",
      expected:
        'comma-separated origins (http(s)://host[:port] or *), or empty; "ftp://files.example" is not an http(s) origin',
    },
    {
      key: "LOG__LEVEL",
      source: ".env",
      value: "loud",
      expected: "one of fatal|error|warn|info|debug|trace|silent",
    },
    {
      key: "API__V1__SUNSET",
      source: "environment",
      value: "2025-02-30",
      expected: "date YYYY-MM-DD, or empty",
    },
    { key: "FEATURES__BETA", source: "environment", value: "maybe", expected: "boolean (true/false/1/0)" },
  ]);
});

test("given a misspelt key under one of our sections in .env, when loading, then it is refused with the key it resembles", () => {
  const dir = configDir({ ".env": "HTTP__PROT=8080\nFEATURES__new_checkout=true\n" });
  assert.equal(refused(loadConfig({ env: {}, dir })), [
    {
      key: "FEATURES__new_checkout",
      source: ".env",
      value: "***",
      expected: "FEATURES__<NAME> with NAME in UPPER_SNAKE_CASE",
    },
    { key: "HTTP__PROT", source: ".env", value: "***", expected: "a known key (did you mean HTTP__PORT?)" },
  ]);
});

test("given keys that are not ours, or our prefixes in the process environment, when loading, then they are ignored", () => {
  const dir = configDir({ ".env": "OTHER_TOOL_TOKEN=x\nPATH_EXTRA=/opt\n" });
  const env = { PATH: "/usr/bin", HOME: "/root", HTTP__PROT: "8080" };
  assert.ok(loadConfig({ env, dir }).ok);
});

test("given production with the memory driver and no ALLOW_MEMORY_ADAPTERS, when loading, then it is refused among the other errors", () => {
  const env = {
    ...PRODUCTION_SECRETS,
    APP_ENV: "production",
    HTTP__PORT: "70000",
    PERSISTENCE__DRIVER: "memory",
  };
  assert.equal(refused(loadConfig({ env, dir: configDir() })), [
    { key: "HTTP__PORT", source: "environment", value: "70000", expected: "integer 0..65535" },
    {
      key: "PERSISTENCE__DRIVER",
      source: "environment",
      value: "memory",
      expected:
        "a durable driver in production (memory loses all data; ALLOW_MEMORY_ADAPTERS=true permits it)",
    },
  ]);
});

test("given production with ALLOW_MEMORY_ADAPTERS=true, when loading, then the memory driver is accepted", () => {
  const dir = configDir({ ".env.production": "PERSISTENCE__DRIVER=memory\nALLOW_MEMORY_ADAPTERS=true\n" });
  const { config } = loaded(loadConfig({ env: { ...PRODUCTION_SECRETS, APP_ENV: "production" }, dir }));
  assert.is(config.persistence.driver, "memory");
  assert.is(config.log.pretty, false);
});

test("given an unknown APP_ENV, when loading, then it is reported and the other keys are still checked", () => {
  const issues = refused(loadConfig({ env: { APP_ENV: "staging", HTTP__PORT: "x" }, dir: configDir() }));
  assert.equal(
    issues.map(({ key, value }) => ({ key, value })),
    [
      { key: "APP_ENV", value: "staging" },
      { key: "HTTP__PORT", value: "x" },
    ],
  );
});

test("given a different APP_ENV inside .env.production, when loading, then it is refused because APP_ENV chose that file", () => {
  const dir = configDir({
    ".env": `APP_ENV=production\nPERSISTENCE__DRIVER=memory\nALLOW_MEMORY_ADAPTERS=true\nAUTH__JWT_SECRET=${PRODUCTION_SECRETS.AUTH__JWT_SECRET}\n`,
    ".env.production": "APP_ENV=test\n",
  });
  assert.equal(refused(loadConfig({ env: {}, dir })), [
    {
      key: "APP_ENV",
      source: ".env.production",
      value: "test",
      expected:
        "production or nothing: APP_ENV chooses .env.production, so change it in the environment or .env",
    },
  ]);
  writeFiles(dir, { ".env.production": "APP_ENV=production\n" });
  assert.ok(loadConfig({ env: {}, dir }).ok, "repeating the same APP_ENV is harmless");
});

test("given only the defaults, when loading in development or test, then they are valid; production asks for its database URL and token secret", () => {
  for (const appEnv of ["development", "test"]) {
    assert.ok(loadConfig({ env: { APP_ENV: appEnv }, dir: configDir() }).ok, appEnv);
  }
  const issues = refused(loadConfig({ env: { APP_ENV: "production" }, dir: configDir() }));
  assert.equal(issues.map((issue) => issue.key).sort(), ["AUTH__JWT_SECRET", "DATABASE__URL"]);
});

test("given production with the embedded database and no ALLOW_EMBEDDED_DATABASE, when loading, then it is refused", () => {
  const issues = refused(
    loadConfig({
      env: { ...PRODUCTION_SECRETS, APP_ENV: "production", PERSISTENCE__DRIVER: "pglite" },
      dir: configDir(),
    }),
  );
  assert.equal(
    issues.map((issue) => `${issue.key}: ${issue.expected}`),
    [
      "PERSISTENCE__DRIVER: postgres in production (pglite serves one process; ALLOW_EMBEDDED_DATABASE=true permits it)",
    ],
  );
  const allowed = {
    ...PRODUCTION_SECRETS,
    APP_ENV: "production",
    PERSISTENCE__DRIVER: "pglite",
    ALLOW_EMBEDDED_DATABASE: "true",
  };
  assert.ok(loadConfig({ env: allowed, dir: configDir() }).ok);
});

test("given a database URL that is not postgres://, when loading, then it is refused and its value is not shown", () => {
  const issues = refused(
    loadConfig({ env: { APP_ENV: "test", DATABASE__URL: "mysql://root:hunter2@db/app" }, dir: configDir() }),
  );
  assert.equal(issues, [
    { key: "DATABASE__URL", source: "environment", value: "***", expected: "postgres://… URL, or empty" },
  ]);
});

test("given production with the development token secret or admin password, when loading, then both are refused", () => {
  const issues = refused(
    loadConfig({
      env: {
        APP_ENV: "production",
        DATABASE__URL: "postgres://keel@db/keel",
        AUTH__JWT_SECRET: DEVELOPMENT_JWT_SECRET,
        AUTH__BOOTSTRAP_ADMIN__EMAIL: "root@example.com",
        AUTH__BOOTSTRAP_ADMIN__PASSWORD: DEVELOPMENT_ADMIN_PASSWORD,
      },
      dir: configDir(),
    }),
  );
  assert.equal(issues.map((issue) => `${issue.key}=${issue.value}`).sort(), [
    "AUTH__BOOTSTRAP_ADMIN__PASSWORD=***",
    "AUTH__JWT_SECRET=***",
  ]);
});

test("given a role mapped to a permission keel does not know, when loading, then the typo is named", () => {
  const issues = refused(
    loadConfig({ env: { APP_ENV: "test", AUTH__ROLE_PERMISSIONS: "clerk=product:wrte" }, dir: configDir() }),
  );
  assert.is(issues.length, 1);
  assert.is(issues[0]?.key, "AUTH__ROLE_PERMISSIONS");
  assert.match(issues[0]?.expected ?? "", /"product:wrte" is not a permission/);
});

test("given default roles that the role table defines (one with no permissions), when loading, then self-registered accounts get them", () => {
  const { config } = loaded(
    loadConfig({
      env: { AUTH__ROLE_PERMISSIONS: "admin=user:manage; customer=", AUTH__DEFAULT_ROLES: "customer" },
      dir: configDir(),
    }),
  );
  assert.equal(config.auth.defaultRoles, ["customer"]);
  assert.equal(config.auth.rolePermissions.customer, []);
});

test("given default roles the role table does not define, when loading, then they are refused by name", () => {
  const issues = refused(loadConfig({ env: { AUTH__DEFAULT_ROLES: "customer,wizard" }, dir: configDir() }));
  assert.equal(
    issues.map((issue) => [issue.key, issue.expected]),
    [
      [
        "AUTH__DEFAULT_ROLES",
        "roles that AUTH__ROLE_PERMISSIONS defines (customer, wizard are not; a role with no permissions is written role=)",
      ],
    ],
  );
  const malformed = refused(loadConfig({ env: { AUTH__DEFAULT_ROLES: "Customer!" }, dir: configDir() }));
  assert.match(malformed[0]?.expected ?? "", /is not a role name/);
});

test.run();

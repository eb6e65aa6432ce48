import type { Kysely } from "kysely";
import type { MemoryDatabase } from "../adapters/memory/memory-database.js";
import type { Database } from "../adapters/persistence/kysely/database.js";
import type { TransactionScope } from "../adapters/persistence/kysely/transaction-scope.js";
import type { RolePolicy } from "../application/auth/auth-settings.js";
import type { Sessions } from "../application/auth/sessions.js";
import type { AccountRules } from "../application/user/user-settings.js";
import { token } from "../ports/token.js";

/** Injection tokens for what the composition root wires but no port names. Ports carry their own. */
export const Tokens = {
  Config: Symbol.for("keel.Config"),
  ConfigStore: Symbol.for("keel.ConfigStore"),
  /** The in-memory store every memory adapter shares (PERSISTENCE__DRIVER=memory). */
  MemoryDatabase: token<MemoryDatabase>("keel.MemoryDatabase"),
  /** The in-process event bus itself (EventBus and DeadLetters are two views of it). */
  MemoryBus: Symbol.for("keel.MemoryBus"),
  /** The mail adapter the Mailer port resolves to (recording, log or SMTP). */
  MailTransport: Symbol.for("keel.MailTransport"),
  /** KeelTracing, bound only when TRACING__ENABLED. */
  Tracing: Symbol.for("keel.Tracing"),
  CommandHandlers: Symbol.for("keel.CommandHandlers"),
  QueryHandlers: Symbol.for("keel.QueryHandlers"),
  /**
   * Behaviours contexts and plugins add to the command pipeline (multi-bound), innermost: after
   * authorization and inside the unit of work, so what they write commits with the command or not at all.
   */
  CommandBehaviours: Symbol.for("keel.CommandBehaviours"),
  /**
   * Behaviours added to the query pipeline (multi-bound), innermost: after authorization, so they
   * only ever see queries the caller may ask (the query cache).
   */
  QueryBehaviours: Symbol.for("keel.QueryBehaviours"),
  /** Every query class that declares `cache` (CachedQuery, multi-bound by bindQuery). */
  CachedQueries: Symbol.for("keel.CachedQueries"),
  /** The query cache's own Redis connection (CACHE__DRIVER=redis). */
  CacheRedis: Symbol.for("keel.CacheRedis"),
  CommandBus: Symbol.for("keel.CommandBus"),
  QueryBus: Symbol.for("keel.QueryBus"),
  Lifecycle: Symbol.for("keel.Lifecycle"),
  /** Started in binding order before the HTTP server, stopped after it. */
  Components: Symbol.for("keel.Components"),
  /** The SQL database (PostgreSQL or PGlite) writers use. */
  Database: token<Kysely<Database>>("keel.Database"),
  /** Where queries read: the replica when DATABASE__READ_URL is set, else the same as Database. */
  ReadDatabase: token<Kysely<Database>>("keel.ReadDatabase"),
  /** The SQL transaction a unit of work opened, for adapters writing inside it. */
  TransactionScope: token<TransactionScope>("keel.TransactionScope"),
  Migrations: Symbol.for("keel.Migrations"),
  /** Every migration by name: the foundation's and each context's (MigrationSources). */
  MigrationSources: Symbol.for("keel.MigrationSources"),
  /** Event handlers (multi-bound), made idempotent and subscribed by the worker. */
  EventHandlers: Symbol.for("keel.EventHandlers"),
  Relay: Symbol.for("keel.Relay"),
  /** Job handlers (multi-bound, one per job type), run by the worker's job runner. */
  JobHandlers: Symbol.for("keel.JobHandlers"),
  /** Recurring schedules (multi-bound), defined by every worker as it starts. */
  Schedules: Symbol.for("keel.Schedules"),
  JobRunner: Symbol.for("keel.JobRunner"),
  /** Wakes the job runner when a job is enqueued (PostgreSQL's LISTEN; unbound elsewhere). */
  JobWatcher: Symbol.for("keel.JobWatcher"),
  Nats: Symbol.for("keel.Nats"),
  /** The plugins' lifecycle hooks (init, start, stop): started after Components, in dependency order. */
  PluginComponents: Symbol.for("keel.PluginComponents"),
  /** Started by `keel worker` (or by serve when WORKER__IN_PROCESS=true), after Components and plugins. */
  WorkerComponents: Symbol.for("keel.WorkerComponents"),
  HttpApp: Symbol.for("keel.HttpApp"),
  /** The OpenAPI document of each API version, by version name. */
  OpenApiDocuments: Symbol.for("keel.OpenApiDocuments"),
  HttpServer: Symbol.for("keel.HttpServer"),
  /** The process's metrics registry (KeelMetrics); /metrics exposes it. */
  Metrics: Symbol.for("keel.Metrics"),
  HealthChecks: Symbol.for("keel.HealthChecks"),
  ApiRoutes: Symbol.for("keel.ApiRoutes"),
  /** Middleware plugins run at named stages of the HTTP pipeline (StagedMiddleware, multi-bound). */
  HttpMiddleware: Symbol.for("keel.HttpMiddleware"),
  /** Rate limiting: the per-request limiter middleware and the token endpoint's login throttle. */
  RateLimits: Symbol.for("keel.RateLimits"),
  Redis: Symbol.for("keel.Redis"),
  /** Credentials to principals, for the driving adapters. */
  Authenticator: Symbol.for("keel.Authenticator"),
  /** Issues sessions (access and refresh tokens) for the token endpoint's handlers. */
  Sessions: token<Sessions>("keel.Sessions"),
  /** Role to permissions (live). */
  RolePolicy: token<RolePolicy>("keel.RolePolicy"),
  /** Password length and default roles (live). */
  AccountRules: token<AccountRules>("keel.AccountRules"),
} as const;

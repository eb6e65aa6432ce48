/** Injection tokens for what the composition root wires but no port names. Ports carry their own. */
export const Tokens = {
  Config: Symbol.for("keel.Config"),
  ConfigStore: Symbol.for("keel.ConfigStore"),
  MemoryDatabase: Symbol.for("keel.MemoryDatabase"),
  CommandHandlers: Symbol.for("keel.CommandHandlers"),
  QueryHandlers: Symbol.for("keel.QueryHandlers"),
  CommandBus: Symbol.for("keel.CommandBus"),
  QueryBus: Symbol.for("keel.QueryBus"),
  Lifecycle: Symbol.for("keel.Lifecycle"),
  HttpApp: Symbol.for("keel.HttpApp"),
  HttpServer: Symbol.for("keel.HttpServer"),
  HealthChecks: Symbol.for("keel.HealthChecks"),
  ApiRoutes: Symbol.for("keel.ApiRoutes"),
} as const;

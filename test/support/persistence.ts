import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Container } from "inversify";
import { loadService } from "../../src/bootstrap/app-config.js";
import { ConfigStore } from "../../src/bootstrap/config/index.js";
import { buildContainer } from "../../src/bootstrap/container.js";
import type { Component } from "../../src/bootstrap/lifecycle.js";
import { Lifecycle } from "../../src/bootstrap/lifecycle.js";
import { Tokens } from "../../src/bootstrap/tokens.js";
import { ApiKeys } from "../../src/ports/auth/api-keys.js";
import { RefreshTokens } from "../../src/ports/auth/refresh-tokens.js";
import { EventLog } from "../../src/ports/event-log.js";
import { Logger } from "../../src/ports/logger.js";
import { ProductReadModel } from "../../src/ports/product/product-read-model.js";
import { ProductRepository } from "../../src/ports/product/product-repository.js";
import { UnitOfWork } from "../../src/ports/unit-of-work.js";
import { Credentials } from "../../src/ports/user/credentials.js";
import { UserReadModel } from "../../src/ports/user/user-read-model.js";
import { UserRepository } from "../../src/ports/user/user-repository.js";
import { CapturedLog } from "./captured-log.js";
import { createTestSchema, postgresDecision } from "./postgres.js";
import type { ServiceDecision } from "./services.js";

export const DRIVERS = ["memory", "pglite", "postgres"] as const;
export type Driver = (typeof DRIVERS)[number];

const CONFIG_DIR = mkdtempSync(join(tmpdir(), "keel-persistence-config-"));

/** The persistence ports of one driver, wired by the real composition root, migrations applied. */
export interface Store {
  readonly driver: Driver;
  readonly container: Container;
  readonly unitOfWork: UnitOfWork;
  readonly products: ProductRepository;
  readonly productViews: ProductReadModel;
  readonly users: UserRepository;
  readonly userViews: UserReadModel;
  readonly credentials: Credentials;
  readonly refreshTokens: RefreshTokens;
  readonly apiKeys: ApiKeys;
  readonly eventLog: EventLog;
  close(): Promise<void>;
}

export async function openStore(driver: Driver, extraEnv: Record<string, string> = {}): Promise<Store> {
  const schema = driver === "postgres" ? await createTestSchema() : undefined;
  const env = {
    APP_ENV: "test",
    PERSISTENCE__DRIVER: driver,
    PGLITE__DATA_DIR: "memory://",
    ...(schema ? { DATABASE__URL: schema.url } : {}),
    ...extraEnv,
  };
  let container: Container;
  let lifecycle: Lifecycle;
  try {
    // The plugins PLUGINS__ENABLED names (none by default in test) bring their adapters and migrations.
    const loaded = await loadService({ env, dir: CONFIG_DIR });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const { definition, config, reread, plugins } = loaded;
    container = buildContainer(new ConfigStore({ definition, config, reread }), {
      logDestination: new CapturedLog(),
      plugins,
    });
    lifecycle = new Lifecycle(container.get<Logger>(Logger));
    await lifecycle.start(container.getAll<Component>(Tokens.Components, { optional: true }));
  } catch (error) {
    await schema?.drop();
    throw error;
  }
  return {
    driver,
    container,
    unitOfWork: container.get<UnitOfWork>(UnitOfWork),
    products: container.get<ProductRepository>(ProductRepository),
    productViews: container.get<ProductReadModel>(ProductReadModel),
    users: container.get<UserRepository>(UserRepository),
    userViews: container.get<UserReadModel>(UserReadModel),
    credentials: container.get<Credentials>(Credentials),
    refreshTokens: container.get<RefreshTokens>(RefreshTokens),
    apiKeys: container.get<ApiKeys>(ApiKeys),
    eventLog: container.get<EventLog>(EventLog),
    close: async () => {
      await lifecycle.stop();
      await schema?.drop();
    },
  };
}

/** Which drivers a contract runs against here: PostgreSQL only when it answers (or CI requires it). */
export async function driverDecisions(): Promise<Record<Driver, ServiceDecision>> {
  return { memory: { run: true }, pglite: { run: true }, postgres: await postgresDecision() };
}

import { MemoryApiKeys } from "../../adapters/memory/memory-api-keys.js";
import { MemoryCredentials } from "../../adapters/memory/memory-credentials.js";
import { MemoryDatabase } from "../../adapters/memory/memory-database.js";
import { MemoryEventLog } from "../../adapters/memory/memory-event-log.js";
import { MemoryInbox } from "../../adapters/memory/memory-inbox.js";
import { MemoryProductReadModel } from "../../adapters/memory/memory-product-read-model.js";
import { MemoryProductRepository } from "../../adapters/memory/memory-product-repository.js";
import { MemoryRefreshTokens } from "../../adapters/memory/memory-refresh-tokens.js";
import {
  InProcessRelayLease,
  MemoryLogWatcher,
  MemoryRelayCheckpoints,
} from "../../adapters/memory/memory-relay-state.js";
import { MemoryStockMovements } from "../../adapters/memory/memory-stock-movements.js";
import { MemoryUnitOfWork } from "../../adapters/memory/memory-unit-of-work.js";
import { MemoryUserReadModel } from "../../adapters/memory/memory-user-read-model.js";
import { MemoryUserRepository } from "../../adapters/memory/memory-user-repository.js";
import { ApiKeys } from "../../ports/api-keys.js";
import { Credentials } from "../../ports/credentials.js";
import { EventLog } from "../../ports/event-log.js";
import { IdGenerator } from "../../ports/id-generator.js";
import { Inbox } from "../../ports/inbox.js";
import { ProductReadModel } from "../../ports/product-read-model.js";
import { ProductRepository } from "../../ports/product-repository.js";
import { RefreshTokens } from "../../ports/refresh-tokens.js";
import { LogWatcher, RelayCheckpoints, RelayLease } from "../../ports/relay-state.js";
import { StockMovements } from "../../ports/stock-movements.js";
import { UnitOfWork } from "../../ports/unit-of-work.js";
import { UserReadModel } from "../../ports/user-read-model.js";
import { UserRepository } from "../../ports/user-repository.js";
import { Tokens } from "../tokens.js";
import type { Module } from "./module.js";

/** PERSISTENCE__DRIVER=memory: everything in process, gone on restart. For tests and quick starts. */
export const memoryPersistenceModule: Module = (container) => {
  container
    .bind(Tokens.MemoryDatabase)
    .toResolvedValue((ids: IdGenerator) => new MemoryDatabase(() => ids.next()), [IdGenerator]);
  container
    .bind(UnitOfWork)
    .toResolvedValue((db: MemoryDatabase) => new MemoryUnitOfWork(db), [Tokens.MemoryDatabase]);
  container
    .bind(EventLog)
    .toResolvedValue((db: MemoryDatabase) => new MemoryEventLog(db), [Tokens.MemoryDatabase]);
  container
    .bind(ProductRepository)
    .toResolvedValue((db: MemoryDatabase) => new MemoryProductRepository(db), [Tokens.MemoryDatabase]);
  container
    .bind(ProductReadModel)
    .toResolvedValue((db: MemoryDatabase) => new MemoryProductReadModel(db), [Tokens.MemoryDatabase]);
  container
    .bind(UserRepository)
    .toResolvedValue((db: MemoryDatabase) => new MemoryUserRepository(db), [Tokens.MemoryDatabase]);
  container
    .bind(UserReadModel)
    .toResolvedValue((db: MemoryDatabase) => new MemoryUserReadModel(db), [Tokens.MemoryDatabase]);
  container
    .bind(Credentials)
    .toResolvedValue((db: MemoryDatabase) => new MemoryCredentials(db), [Tokens.MemoryDatabase]);
  container
    .bind(RefreshTokens)
    .toResolvedValue((db: MemoryDatabase) => new MemoryRefreshTokens(db), [Tokens.MemoryDatabase]);
  container
    .bind(ApiKeys)
    .toResolvedValue((db: MemoryDatabase) => new MemoryApiKeys(db), [Tokens.MemoryDatabase]);
  container.bind(Inbox).toResolvedValue((db: MemoryDatabase) => new MemoryInbox(db), [Tokens.MemoryDatabase]);
  container
    .bind(StockMovements)
    .toResolvedValue((db: MemoryDatabase) => new MemoryStockMovements(db), [Tokens.MemoryDatabase]);
  container.bind(RelayCheckpoints).toResolvedValue(() => new MemoryRelayCheckpoints());
  container.bind(RelayLease).toResolvedValue(() => new InProcessRelayLease());
  container
    .bind(LogWatcher)
    .toResolvedValue((db: MemoryDatabase) => new MemoryLogWatcher(db), [Tokens.MemoryDatabase]);
};

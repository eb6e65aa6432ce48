import { MemoryDatabase } from "../../adapters/memory/memory-database.js";
import { MemoryEventLog } from "../../adapters/memory/memory-event-log.js";
import { MemoryProductReadModel } from "../../adapters/memory/memory-product-read-model.js";
import { MemoryProductRepository } from "../../adapters/memory/memory-product-repository.js";
import { MemoryUnitOfWork } from "../../adapters/memory/memory-unit-of-work.js";
import { EventLog } from "../../ports/event-log.js";
import { IdGenerator } from "../../ports/id-generator.js";
import { ProductReadModel } from "../../ports/product-read-model.js";
import { ProductRepository } from "../../ports/product-repository.js";
import { UnitOfWork } from "../../ports/unit-of-work.js";
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
};

import { MemoryDatabase } from "../../src/adapters/memory/memory-database.js";
import { MemoryEventLog } from "../../src/adapters/memory/memory-event-log.js";
import { MemoryUnitOfWork } from "../../src/adapters/memory/memory-unit-of-work.js";
import { MemoryProductReadModel } from "../../src/adapters/product/memory/memory-product-read-model.js";
import { MemoryProductRepository } from "../../src/adapters/product/memory/memory-product-repository.js";
import { AdjustStock, AdjustStockHandler } from "../../src/application/product/adjust-stock.js";
import { ChangePrice, ChangePriceHandler } from "../../src/application/product/change-price.js";
import { CommitStock, CommitStockHandler } from "../../src/application/product/commit-stock.js";
import { CreateProduct, CreateProductHandler } from "../../src/application/product/create-product.js";
import { GetProduct, GetProductHandler } from "../../src/application/product/get-product.js";
import { ListProducts, ListProductsHandler } from "../../src/application/product/list-products.js";
import { ReleaseStock, ReleaseStockHandler } from "../../src/application/product/release-stock.js";
import { RenameProduct, RenameProductHandler } from "../../src/application/product/rename-product.js";
import { ReserveStock, ReserveStockHandler } from "../../src/application/product/reserve-stock.js";
import type { ExecutionContext } from "../../src/application/shared/execution-context.js";
import type { Command, Query } from "../../src/application/shared/message.js";
import { MessageBus } from "../../src/application/shared/message-bus.js";
import { UnitOfWorkBehaviour } from "../../src/application/shared/unit-of-work-behaviour.js";
import type { ProductRepository } from "../../src/ports/product/product-repository.js";
import { FixedClock } from "./fixed-clock.js";
import { SequentialIds } from "./sequential-ids.js";

export const ctx: ExecutionContext = { principal: { kind: "anonymous" }, correlationId: "test-correlation" };

/** The product handlers wired on memory adapters, with a hand-moved clock and predictable ids. */
export function productHarness(options: { repository?: (db: MemoryDatabase) => ProductRepository } = {}) {
  const clock = new FixedClock();
  const ids = new SequentialIds();
  const db = new MemoryDatabase(() => ids.next());
  const repository = options.repository?.(db) ?? new MemoryProductRepository(db);
  const readModel = new MemoryProductReadModel(db);
  const commands = new MessageBus<Command<unknown>>([new UnitOfWorkBehaviour(new MemoryUnitOfWork(db))])
    .register(CreateProduct, new CreateProductHandler(repository, ids, clock))
    .register(RenameProduct, new RenameProductHandler(repository, clock))
    .register(ChangePrice, new ChangePriceHandler(repository, clock))
    .register(AdjustStock, new AdjustStockHandler(repository, clock))
    .register(ReserveStock, new ReserveStockHandler(repository, clock))
    .register(ReleaseStock, new ReleaseStockHandler(repository, clock))
    .register(CommitStock, new CommitStockHandler(repository, clock));
  const queries = new MessageBus<Query<unknown>>([])
    .register(GetProduct, new GetProductHandler(readModel))
    .register(ListProducts, new ListProductsHandler(readModel));
  return { clock, db, commands, queries, eventLog: new MemoryEventLog(db), repository };
}

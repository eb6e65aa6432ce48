import { v1ProductRoutes } from "../../adapters/product/http/v1-products.js";
import { v2ProductRoutes } from "../../adapters/product/http/v2-products.js";
import { MemoryProductReadModel } from "../../adapters/product/memory/memory-product-read-model.js";
import { MemoryProductRepository } from "../../adapters/product/memory/memory-product-repository.js";
import { MemoryStockMovements } from "../../adapters/product/memory/memory-stock-movements.js";
import * as products from "../../adapters/product/migrations/2026-11-24T0100-products.js";
import * as stockMovements from "../../adapters/product/migrations/2026-11-24T0310-product-stock-movements.js";
import * as stockAndPriceBounds from "../../adapters/product/migrations/2026-11-24T0600-stock-and-price-bounds.js";
import * as reservations from "../../adapters/product/migrations/2026-11-30T1100-product-reservations.js";
import { KyselyProductReadModel } from "../../adapters/product/sql/kysely-product-read-model.js";
import { KyselyProductRepository } from "../../adapters/product/sql/kysely-product-repository.js";
import { KyselyStockMovements } from "../../adapters/product/sql/kysely-stock-movements.js";
import { StockHistoryRebuild } from "../../adapters/product/sql/stock-history-rebuild.js";
import { AdjustStock, AdjustStockHandler } from "../../application/product/adjust-stock.js";
import { ChangePrice, ChangePriceHandler } from "../../application/product/change-price.js";
import { CommitStock, CommitStockHandler } from "../../application/product/commit-stock.js";
import { CreateProduct, CreateProductHandler } from "../../application/product/create-product.js";
import { GetProduct, GetProductHandler } from "../../application/product/get-product.js";
import { GetStockHistory, GetStockHistoryHandler } from "../../application/product/get-stock-history.js";
import { ListProducts, ListProductsHandler } from "../../application/product/list-products.js";
import { LowStockAlert } from "../../application/product/low-stock-alert.js";
import { PRODUCT_RESERVE, PRODUCT_WRITE } from "../../application/product/product-permissions.js";
import { ReleaseStock, ReleaseStockHandler } from "../../application/product/release-stock.js";
import { RenameProduct, RenameProductHandler } from "../../application/product/rename-product.js";
import { ReserveStock, ReserveStockHandler } from "../../application/product/reserve-stock.js";
import { StockHistoryProjection } from "../../application/product/stock-history-projection.js";
import { Clock } from "../../ports/clock.js";
import { EventLog } from "../../ports/event-log.js";
import { IdGenerator } from "../../ports/id-generator.js";
import { Mailer } from "../../ports/mailer.js";
import { ProductReadModel } from "../../ports/product/product-read-model.js";
import { ProductRepository } from "../../ports/product/product-repository.js";
import { StockMovements } from "../../ports/product/stock-movements.js";
import { ReadModelRebuilds } from "../../ports/read-model-rebuild.js";
import { defineContext } from "../context/context-module.js";
import { bindAdapter, bindCommand, bindQuery } from "../modules/handler-registration.js";
import { Tokens } from "../tokens.js";
import { productSettings } from "./product-settings.js";

/** The product catalogue: products, their prices and stock, the stock history and low-stock alerts. */
export default defineContext({
  name: "product",
  settings: productSettings,
  permissions: {
    [PRODUCT_WRITE]: {
      description: "Create products, rename them, change prices, adjust stock.",
      grantedTo: ["admin", "catalog-manager"],
    },
    [PRODUCT_RESERVE]: {
      description:
        "Reserve, release and commit stock for orders. The order checkout does this as the system; no role by default.",
      grantedTo: [],
    },
  },
  migrations: {
    "2026-11-24T0100-products": products,
    "2026-11-24T0310-product-stock-movements": stockMovements,
    "2026-11-24T0600-stock-and-price-bounds": stockAndPriceBounds,
    "2026-11-30T1100-product-reservations": reservations,
  },
  adapters: {
    memory: ({ container }) => {
      bindAdapter(container, ProductRepository, MemoryProductRepository, [Tokens.MemoryDatabase]);
      bindAdapter(container, ProductReadModel, MemoryProductReadModel, [Tokens.MemoryDatabase]);
      bindAdapter(container, StockMovements, MemoryStockMovements, [Tokens.MemoryDatabase]);
    },
    sql: ({ container }) => {
      bindAdapter(container, ProductRepository, KyselyProductRepository, [
        Tokens.TransactionScope,
        IdGenerator,
      ]);
      bindAdapter(container, ProductReadModel, KyselyProductReadModel, [Tokens.ReadDatabase]);
      bindAdapter(container, StockMovements, KyselyStockMovements, [Tokens.TransactionScope]);
      bindAdapter(container, ReadModelRebuilds, StockHistoryRebuild, [Tokens.TransactionScope]);
    },
  },
  bind: ({ container, config }) => {
    bindCommand(container, CreateProduct, CreateProductHandler, [ProductRepository, IdGenerator, Clock]);
    bindCommand(container, RenameProduct, RenameProductHandler, [ProductRepository, Clock]);
    bindCommand(container, ChangePrice, ChangePriceHandler, [ProductRepository, Clock]);
    bindCommand(container, AdjustStock, AdjustStockHandler, [ProductRepository, Clock]);
    bindCommand(container, ReserveStock, ReserveStockHandler, [ProductRepository, Clock]);
    bindCommand(container, ReleaseStock, ReleaseStockHandler, [ProductRepository, Clock]);
    bindCommand(container, CommitStock, CommitStockHandler, [ProductRepository, Clock]);
    bindQuery(container, GetProduct, GetProductHandler, [ProductReadModel]);
    bindQuery(container, ListProducts, ListProductsHandler, [ProductReadModel]);
    bindQuery(container, GetStockHistory, GetStockHistoryHandler, [ProductReadModel, StockMovements]);

    const settings = productSettings.of(config);
    container
      .bind(Tokens.EventHandlers)
      .toResolvedValue(
        (movements: StockMovements) => new StockHistoryProjection(movements),
        [StockMovements],
      );
    container.bind(Tokens.EventHandlers).toResolvedValue(
      (log: EventLog, mailer: Mailer) =>
        new LowStockAlert(log, mailer, {
          threshold: settings.lowStockThreshold,
          recipient: settings.lowStockAlertTo,
        }),
      [EventLog, Mailer],
    );
  },
  routes: { v1: v1ProductRoutes, v2: v2ProductRoutes },
});

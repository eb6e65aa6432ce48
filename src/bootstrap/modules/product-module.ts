import { v1ProductRoutes } from "../../adapters/http/products/v1-products.js";
import { v2ProductRoutes } from "../../adapters/http/products/v2-products.js";
import { AdjustStock, AdjustStockHandler } from "../../application/product/adjust-stock.js";
import { ChangePrice, ChangePriceHandler } from "../../application/product/change-price.js";
import { CreateProduct, CreateProductHandler } from "../../application/product/create-product.js";
import { GetProduct, GetProductHandler } from "../../application/product/get-product.js";
import { GetStockHistory, GetStockHistoryHandler } from "../../application/product/get-stock-history.js";
import { ListProducts, ListProductsHandler } from "../../application/product/list-products.js";
import { LowStockAlert } from "../../application/product/low-stock-alert.js";
import { RenameProduct, RenameProductHandler } from "../../application/product/rename-product.js";
import { StockHistoryProjection } from "../../application/product/stock-history-projection.js";
import { Clock } from "../../ports/clock.js";
import { EventLog } from "../../ports/event-log.js";
import { IdGenerator } from "../../ports/id-generator.js";
import { Mailer } from "../../ports/mailer.js";
import { ProductReadModel } from "../../ports/product-read-model.js";
import { ProductRepository } from "../../ports/product-repository.js";
import { StockMovements } from "../../ports/stock-movements.js";
import { Tokens } from "../tokens.js";
import { bindCommand, bindQuery } from "./handler-registration.js";
import type { Module } from "./module.js";

/** The product context: its handlers on the buses, its event handlers, its routes in each API version. */
export const productModule: Module = (container, config) => {
  bindCommand(container, CreateProduct, CreateProductHandler, [ProductRepository, IdGenerator, Clock]);
  bindCommand(container, RenameProduct, RenameProductHandler, [ProductRepository, Clock]);
  bindCommand(container, ChangePrice, ChangePriceHandler, [ProductRepository, Clock]);
  bindCommand(container, AdjustStock, AdjustStockHandler, [ProductRepository, Clock]);
  bindQuery(container, GetProduct, GetProductHandler, [ProductReadModel]);
  bindQuery(container, ListProducts, ListProductsHandler, [ProductReadModel]);
  bindQuery(container, GetStockHistory, GetStockHistoryHandler, [ProductReadModel, StockMovements]);

  container
    .bind(Tokens.EventHandlers)
    .toResolvedValue((movements: StockMovements) => new StockHistoryProjection(movements), [StockMovements]);
  container.bind(Tokens.EventHandlers).toResolvedValue(
    (log: EventLog, mailer: Mailer) =>
      new LowStockAlert(log, mailer, {
        threshold: config.products.lowStockThreshold,
        recipient: config.products.lowStockAlertTo,
      }),
    [EventLog, Mailer],
  );

  container.bind(Tokens.ApiRoutes).toConstantValue({ version: "v1", routes: v1ProductRoutes });
  container.bind(Tokens.ApiRoutes).toConstantValue({ version: "v2", routes: v2ProductRoutes });
};

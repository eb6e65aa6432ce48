import { v1ProductRoutes } from "../../adapters/http/products/v1-products.js";
import { v2ProductRoutes } from "../../adapters/http/products/v2-products.js";
import { AdjustStock, AdjustStockHandler } from "../../application/product/adjust-stock.js";
import { ChangePrice, ChangePriceHandler } from "../../application/product/change-price.js";
import { CreateProduct, CreateProductHandler } from "../../application/product/create-product.js";
import { GetProduct, GetProductHandler } from "../../application/product/get-product.js";
import { ListProducts, ListProductsHandler } from "../../application/product/list-products.js";
import { RenameProduct, RenameProductHandler } from "../../application/product/rename-product.js";
import { Clock } from "../../ports/clock.js";
import { IdGenerator } from "../../ports/id-generator.js";
import { ProductReadModel } from "../../ports/product-read-model.js";
import { ProductRepository } from "../../ports/product-repository.js";
import { Tokens } from "../tokens.js";
import { handles } from "./handler-registration.js";
import type { Module } from "./module.js";

/** The product context: its handlers on the buses and its routes in each API version. */
export const productModule: Module = (container) => {
  container
    .bind(Tokens.CommandHandlers)
    .toResolvedValue(
      (products: ProductRepository, ids: IdGenerator, clock: Clock) =>
        handles(CreateProduct, new CreateProductHandler(products, ids, clock)),
      [ProductRepository, IdGenerator, Clock],
    );
  container
    .bind(Tokens.CommandHandlers)
    .toResolvedValue(
      (products: ProductRepository, clock: Clock) =>
        handles(RenameProduct, new RenameProductHandler(products, clock)),
      [ProductRepository, Clock],
    );
  container
    .bind(Tokens.CommandHandlers)
    .toResolvedValue(
      (products: ProductRepository, clock: Clock) =>
        handles(ChangePrice, new ChangePriceHandler(products, clock)),
      [ProductRepository, Clock],
    );
  container
    .bind(Tokens.CommandHandlers)
    .toResolvedValue(
      (products: ProductRepository, clock: Clock) =>
        handles(AdjustStock, new AdjustStockHandler(products, clock)),
      [ProductRepository, Clock],
    );
  container
    .bind(Tokens.QueryHandlers)
    .toResolvedValue(
      (products: ProductReadModel) => handles(GetProduct, new GetProductHandler(products)),
      [ProductReadModel],
    );
  container
    .bind(Tokens.QueryHandlers)
    .toResolvedValue(
      (products: ProductReadModel) => handles(ListProducts, new ListProductsHandler(products)),
      [ProductReadModel],
    );

  container.bind(Tokens.ApiRoutes).toConstantValue({ version: "v1", routes: v1ProductRoutes });
  container.bind(Tokens.ApiRoutes).toConstantValue({ version: "v2", routes: v2ProductRoutes });
};

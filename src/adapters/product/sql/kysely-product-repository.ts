import { Product } from "../../../domain/product/product.js";
import { ProductSkuTaken } from "../../../domain/product/product-errors.js";
import type { ProductId } from "../../../domain/product/product-id.js";
import type { IdGenerator } from "../../../ports/id-generator.js";
import type { ProductRepository } from "../../../ports/product/product-repository.js";
import { ConcurrencyConflict } from "../../../ports/unit-of-work.js";
import { appendEvents } from "../../persistence/kysely/append-events.js";
import { violatedUniqueConstraint } from "../../persistence/kysely/sql-errors.js";
import type { TransactionScope } from "../../persistence/kysely/transaction-scope.js";
import { productState } from "./product-rows.js";

export class KyselyProductRepository implements ProductRepository {
  constructor(
    private readonly scope: TransactionScope,
    private readonly ids: IdGenerator,
  ) {}

  async get(id: ProductId): Promise<Product | undefined> {
    const row = await this.scope
      .reader()
      .selectFrom("products")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row === undefined ? undefined : Product.fromSnapshot(productState(row), row.version);
  }

  async idOfSku(sku: string): Promise<string | undefined> {
    const row = await this.scope
      .reader()
      .selectFrom("products")
      .select("id")
      .where("sku", "=", sku)
      .executeTakeFirst();
    return row?.id;
  }

  /** State row and events in the unit of work's transaction; the version check makes it optimistic. */
  async save(product: Product): Promise<void> {
    if (product.pendingEvents.length === 0) return;
    const { trx, metadata } = this.scope.current();
    const state = product.snapshot();
    const row = {
      name: state.name,
      sku: state.sku,
      price_minor: state.priceMinor,
      currency: state.currency,
      on_hand: state.onHand,
      reserved: state.reserved,
      version: product.version,
      updated_at: new Date(state.updatedAt),
    };
    try {
      if (product.persistedVersion === 0) {
        await trx
          .insertInto("products")
          .values({ ...row, id: state.id, created_at: new Date(state.createdAt) })
          .execute();
      } else {
        const result = await trx
          .updateTable("products")
          .set(row)
          .where("id", "=", state.id)
          .where("version", "=", product.persistedVersion)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n)
          throw new ConcurrencyConflict("product", state.id, product.persistedVersion);
      }
    } catch (error) {
      const constraint = violatedUniqueConstraint(error);
      if (constraint === "products_sku_key") throw new ProductSkuTaken(state.sku);
      if (constraint === "products_pkey") throw new ConcurrencyConflict("product", state.id, 0);
      throw error;
    }
    await appendEvents(trx, this.ids, "product", product.pendingEvents, metadata);
    product.markPersisted();
  }
}

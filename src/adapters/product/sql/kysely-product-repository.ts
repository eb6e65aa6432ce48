import type { Kysely, Transaction } from "kysely";
import { Product } from "../../../domain/product/product.js";
import { ProductSkuTaken } from "../../../domain/product/product-errors.js";
import type { ProductEvent } from "../../../domain/product/product-events.js";
import type { ProductId } from "../../../domain/product/product-id.js";
import type { IdGenerator } from "../../../ports/id-generator.js";
import type { ProductRepository } from "../../../ports/product/product-repository.js";
import { ConcurrencyConflict } from "../../../ports/unit-of-work.js";
import { appendEvents } from "../../persistence/kysely/append-events.js";
import type { Database } from "../../persistence/kysely/database.js";
import { violatedUniqueConstraint } from "../../persistence/kysely/sql-errors.js";
import type { TransactionScope } from "../../persistence/kysely/transaction-scope.js";
import { productState } from "./product-rows.js";

export class KyselyProductRepository implements ProductRepository {
  constructor(
    private readonly scope: TransactionScope,
    private readonly ids: IdGenerator,
  ) {}

  async get(id: ProductId): Promise<Product | undefined> {
    const db = this.scope.reader();
    const row = await db.selectFrom("products").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? undefined : this.loaded(db, row);
  }

  /**
   * FOR UPDATE waits for a writer holding the row, then reads what it committed (PostgreSQL's read
   * committed re-reads a locked row once it is free). The reservations are read after the lock, so
   * they belong to the same committed state as the row.
   */
  async getForUpdate(id: ProductId): Promise<Product | undefined> {
    const { trx } = this.scope.current();
    const row = await trx
      .selectFrom("products")
      .selectAll()
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    return row === undefined ? undefined : this.loaded(trx, row);
  }

  private async loaded(db: Kysely<Database>, row: Parameters<typeof productState>[0]): Promise<Product> {
    const reservations = await db
      .selectFrom("product_reservations")
      .selectAll()
      .where("product_id", "=", row.id)
      .orderBy("order_id")
      .orderBy("line")
      .execute();
    return Product.fromSnapshot(productState(row, reservations), row.version);
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
    await saveReservations(trx, state.id, product.pendingEvents);
    await appendEvents(trx, this.ids, "product", product.pendingEvents, metadata);
    product.markPersisted();
  }
}

/**
 * The reservation rows follow the events, in order: a reservation adds its line, a release or commit
 * removes the order's lines. Only what changed is written, however many lines stay open. The version
 * check on the product row has passed by now, so no other writer can be changing them.
 */
async function saveReservations(
  trx: Transaction<Database>,
  productId: string,
  events: readonly ProductEvent[],
): Promise<void> {
  for (const event of events) {
    if (event.type === "product.stock_reserved") {
      const { orderId, line, quantity } = event.data;
      await trx
        .insertInto("product_reservations")
        .values({ product_id: productId, order_id: orderId, line, quantity })
        .execute();
    } else if (
      event.type === "product.reservation_released" ||
      event.type === "product.reservation_committed"
    ) {
      await trx
        .deleteFrom("product_reservations")
        .where("product_id", "=", productId)
        .where("order_id", "=", event.data.orderId)
        .execute();
    }
  }
}

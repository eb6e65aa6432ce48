import type { Transaction } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
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

  /**
   * One statement, so the row and its reservations come from one snapshot: read in two, a writer
   * committing in between would pair a `reserved` figure with other lines than those it sums.
   */
  async get(id: ProductId): Promise<Product | undefined> {
    const row = await this.scope
      .reader()
      .selectFrom("products")
      .selectAll("products")
      .select((eb) =>
        jsonArrayFrom(
          eb
            .selectFrom("product_reservations")
            .select(["order_id", "line", "quantity"])
            .whereRef("product_reservations.product_id", "=", "products.id"),
        ).as("reservations"),
      )
      .where("products.id", "=", id)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : Product.fromSnapshot(productState(row, row.reservations), row.version);
  }

  /**
   * Two statements, on purpose: FOR UPDATE waits for a writer holding the row and then re-reads that
   * row as committed, but the rest of its statement keeps the snapshot taken before the wait. The
   * reservations are read by a second statement, after the lock, so they belong to the same
   * committed state as the row.
   */
  async getForUpdate(id: ProductId): Promise<Product | undefined> {
    const { trx } = this.scope.current();
    const row = await trx
      .selectFrom("products")
      .selectAll()
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const reservations = await trx
      .selectFrom("product_reservations")
      .select(["order_id", "line", "quantity"])
      .where("product_id", "=", row.id)
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

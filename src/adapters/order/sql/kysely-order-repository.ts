import { Order } from "../../../domain/order/order.js";
import type { OrderId } from "../../../domain/order/order-id.js";
import type { IdGenerator } from "../../../ports/id-generator.js";
import type { OrderRepository } from "../../../ports/order/order-repository.js";
import { ConcurrencyConflict } from "../../../ports/unit-of-work.js";
import { appendEvents } from "../../persistence/kysely/append-events.js";
import { violatedUniqueConstraint } from "../../persistence/kysely/sql-errors.js";
import type { TransactionScope } from "../../persistence/kysely/transaction-scope.js";

export class KyselyOrderRepository implements OrderRepository {
  constructor(
    private readonly scope: TransactionScope,
    private readonly ids: IdGenerator,
  ) {}

  async get(id: OrderId): Promise<Order | undefined> {
    const row = await this.scope
      .reader()
      .selectFrom("orders")
      .select(["state", "version"])
      .where("id", "=", id)
      .executeTakeFirst();
    return row === undefined ? undefined : Order.fromSnapshot(row.state, row.version);
  }

  /** State row and events in the unit of work's transaction; the version check makes it optimistic. */
  async save(order: Order): Promise<void> {
    if (order.pendingEvents.length === 0) return;
    const { trx, metadata } = this.scope.current();
    const state = order.snapshot();
    const row = {
      status: state.status,
      updated_at: new Date(state.updatedAt),
      version: order.version,
      state: JSON.stringify(state),
    };
    try {
      if (order.persistedVersion === 0) {
        await trx
          .insertInto("orders")
          .values({
            ...row,
            id: state.id,
            customer_id: state.customerId,
            currency: state.currency,
            total_minor: state.totalMinor,
            placed_at: new Date(state.placedAt),
          })
          .execute();
      } else {
        const result = await trx
          .updateTable("orders")
          .set(row)
          .where("id", "=", state.id)
          .where("version", "=", order.persistedVersion)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n)
          throw new ConcurrencyConflict("order", state.id, order.persistedVersion);
      }
    } catch (error) {
      if (violatedUniqueConstraint(error) === "orders_pkey")
        throw new ConcurrencyConflict("order", state.id, 0);
      throw error;
    }
    await appendEvents(trx, this.ids, "order", order.pendingEvents, metadata);
    order.markPersisted();
  }
}

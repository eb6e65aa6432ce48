import { sql } from "kysely";
import type { OrderSummaries, OrderSummary } from "../../../ports/order/order-summaries.js";
import type { TransactionScope } from "../../persistence/kysely/transaction-scope.js";

type Tables =
  | { readonly summaries: "order_customer_summaries"; readonly spending: "order_customer_spending" }
  | {
      readonly summaries: "order_customer_summaries_rebuild";
      readonly spending: "order_customer_spending_rebuild";
    };

export const LIVE_TABLES: Tables = {
  summaries: "order_customer_summaries",
  spending: "order_customer_spending",
};

/**
 * Each change is one upsert that adds to what is stored, so concurrent changes of one customer
 * (two workers, two events) both count without a read-modify-write race.
 */
export class KyselyOrderSummaries implements OrderSummaries {
  constructor(
    private readonly scope: TransactionScope,
    private readonly tables: Tables = LIVE_TABLES,
  ) {}

  async recordPlaced(customerId: string, orderId: string, placedAt: string): Promise<void> {
    const { trx } = this.scope.current();
    const at = new Date(placedAt);
    await trx
      .insertInto(this.tables.summaries)
      .values({ customer_id: customerId, order_count: 1, last_order_id: orderId, last_order_at: at })
      .onConflict((c) =>
        c.column("customer_id").doUpdateSet({
          order_count: sql`${sql.table(this.tables.summaries)}.order_count + 1`,
          // The latest placed order is the last (ties: the greater id), whatever order events arrive in.
          last_order_id: sql`case when (excluded.last_order_at, excluded.last_order_id) > (${sql.table(this.tables.summaries)}.last_order_at, ${sql.table(this.tables.summaries)}.last_order_id) then excluded.last_order_id else ${sql.table(this.tables.summaries)}.last_order_id end`,
          last_order_at: sql`greatest(excluded.last_order_at, ${sql.table(this.tables.summaries)}.last_order_at)`,
        }),
      )
      .execute();
  }

  async addSpent(customerId: string, currency: string, amountMinor: number): Promise<void> {
    const { trx } = this.scope.current();
    await trx
      .insertInto(this.tables.spending)
      .values({ customer_id: customerId, currency, amount_minor: amountMinor })
      .onConflict((c) =>
        c.columns(["customer_id", "currency"]).doUpdateSet({
          amount_minor: sql`${sql.table(this.tables.spending)}.amount_minor + excluded.amount_minor`,
        }),
      )
      .execute();
  }

  async get(customerId: string): Promise<OrderSummary | undefined> {
    const db = this.scope.reader();
    const row = await db
      .selectFrom(this.tables.summaries)
      .selectAll()
      .where("customer_id", "=", customerId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const spent = await db
      .selectFrom(this.tables.spending)
      .select(["currency", "amount_minor"])
      .where("customer_id", "=", customerId)
      .orderBy("currency")
      .execute();
    return {
      customerId,
      orderCount: row.order_count,
      spent: spent.map((s) => ({ currency: s.currency, amountMinor: Number(s.amount_minor) })),
      lastOrder:
        row.last_order_id === null || row.last_order_at === null
          ? null
          : { id: row.last_order_id, placedAt: row.last_order_at.toISOString() },
    };
  }
}

import { sql } from "kysely";
import { OrderSummaryProjection } from "../../../application/order/order-summary-projection.js";
import type { EventLog } from "../../../ports/event-log.js";
import type { Apply, ReadModelRebuild } from "../../../ports/read-model-rebuild.js";
import type { TransactionScope } from "../../persistence/kysely/transaction-scope.js";
import { KyselyOrderSummaries } from "./kysely-order-summaries.js";

const LIVE = ["order_customer_summaries", "order_customer_spending"] as const;

/** Rebuilds the order summary tables into shadow tables and renames them into place. */
export class OrderSummaryRebuild implements ReadModelRebuild {
  readonly name = "order-customer-summary";

  constructor(
    private readonly scope: TransactionScope,
    private readonly log: EventLog,
  ) {}

  async start(): Promise<Apply> {
    const { db } = this.scope;
    for (const table of LIVE) {
      await sql`drop table if exists ${sql.table(`${table}_rebuild`)}`.execute(db);
      await sql`create table ${sql.table(`${table}_rebuild`)} (like ${sql.table(table)} including all)`.execute(
        db,
      );
    }
    const projection = new OrderSummaryProjection(
      new KyselyOrderSummaries(this.scope, {
        summaries: "order_customer_summaries_rebuild",
        spending: "order_customer_spending_rebuild",
      }),
      this.log,
    );
    return (event) => projection.apply(event);
  }

  /** As the stock history's swap: the live subscriber waits on the lock, then meets the new tables. */
  swap(catchUp: () => Promise<void>): Promise<void> {
    return this.scope.run({ correlationId: "replay", principal: "system:replay" }, async () => {
      const { trx } = this.scope.current();
      for (const table of LIVE)
        await sql`lock table ${sql.table(table)} in access exclusive mode`.execute(trx);
      await catchUp();
      for (const table of LIVE) {
        await sql`alter table ${sql.table(table)} rename to ${sql.table(`${table}_old`)}`.execute(trx);
        await sql`alter table ${sql.table(`${table}_rebuild`)} rename to ${sql.table(table)}`.execute(trx);
        await sql`drop table ${sql.table(`${table}_old`)}`.execute(trx);
      }
    });
  }
}

import { Order } from "../../../domain/order/order.js";
import type { OrderId } from "../../../domain/order/order-id.js";
import type { OrderRepository } from "../../../ports/order/order-repository.js";
import type { MemoryDatabase } from "../../memory/memory-database.js";
import { ordersTable } from "./orders-table.js";

export class MemoryOrderRepository implements OrderRepository {
  constructor(private readonly db: MemoryDatabase) {}

  async get(id: OrderId): Promise<Order | undefined> {
    const row = this.db.read(ordersTable, id);
    return row === undefined ? undefined : Order.fromSnapshot(row.value, row.version);
  }

  async save(order: Order): Promise<void> {
    if (order.pendingEvents.length === 0) return;
    this.db.write(
      ordersTable,
      order.id,
      order.persistedVersion,
      { version: order.version, value: order.snapshot() },
      order.pendingEvents,
    );
    order.markPersisted();
  }
}

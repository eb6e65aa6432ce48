import { Product } from "../../../domain/product/product.js";
import type { ProductId } from "../../../domain/product/product-id.js";
import type { ProductRepository } from "../../../ports/product/product-repository.js";
import type { MemoryDatabase } from "../../memory/memory-database.js";
import { productsTable } from "./products-table.js";

export class MemoryProductRepository implements ProductRepository {
  constructor(private readonly db: MemoryDatabase) {}

  async get(id: ProductId): Promise<Product | undefined> {
    const row = this.db.read(productsTable, id);
    return row === undefined ? undefined : Product.fromSnapshot(row.value, row.version);
  }

  /** The memory row lock stands for FOR UPDATE: a second caller waits for the first to commit. */
  async getForUpdate(id: ProductId): Promise<Product | undefined> {
    await this.db.lock(productsTable, id);
    return this.get(id);
  }

  async idOfSku(sku: string): Promise<string | undefined> {
    return this.db.findUnique(productsTable, "sku", sku);
  }

  async save(product: Product): Promise<void> {
    if (product.pendingEvents.length === 0) return;
    // As an SQL UPDATE does, writing waits for a caller holding the product (getForUpdate); it then
    // fails at commit on the version that caller moved, and its unit of work retries.
    await this.db.lock(productsTable, product.id);
    this.db.write(
      productsTable,
      product.id,
      product.persistedVersion,
      { version: product.version, value: product.snapshot() },
      product.pendingEvents,
    );
    product.markPersisted();
  }
}

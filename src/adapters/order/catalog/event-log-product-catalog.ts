import { currency } from "../../../domain/shared/money.js";
import type { EventLog } from "../../../ports/event-log.js";
import type { CatalogProduct, ProductCatalog } from "../../../ports/order/product-catalog.js";

/**
 * Reads products from their events in the log: `product.created`, `product.renamed` and
 * `product.price_changed`, the product context's published facts. The order context may not import
 * the product context's code (it must stay removable), and the log is written in the same
 * transaction as a product's state, so what this finds is what the catalogue committed, on every
 * driver. It folds each product's history, so a product with a long stock history costs more to
 * read; an adapter the product context provides could read its own table instead.
 */
export class EventLogProductCatalog implements ProductCatalog {
  constructor(private readonly log: EventLog) {}

  async find(ids: readonly string[]): Promise<ReadonlyMap<string, CatalogProduct>> {
    const found = new Map<string, CatalogProduct>();
    for (const id of ids) {
      const product = fold(await this.log.history("product", id));
      if (product !== undefined) found.set(id, product);
    }
    return found;
  }
}

interface Fact {
  readonly aggregateId: string;
  readonly type: string;
  readonly data: unknown;
}

function fold(history: readonly Fact[]): CatalogProduct | undefined {
  let product: CatalogProduct | undefined;
  for (const { aggregateId, type, data: raw } of history) {
    const data = raw as Readonly<Record<string, unknown>>;
    if (type === "product.created") {
      product = {
        id: aggregateId,
        name: String(data.name),
        unitPrice: { amountMinor: Number(data.priceMinor), currency: currency(String(data.currency)) },
      };
    } else if (product !== undefined && type === "product.renamed") {
      product = { ...product, name: String(data.name) };
    } else if (product !== undefined && type === "product.price_changed") {
      product = {
        ...product,
        unitPrice: { amountMinor: Number(data.priceMinor), currency: currency(String(data.currency)) },
      };
    }
  }
  return product;
}

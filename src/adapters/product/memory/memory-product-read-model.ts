import type { ProductState } from "../../../domain/product/product-state.js";
import type {
  Page,
  ProductCriteria,
  ProductReadModel,
  ProductSortField,
  ProductView,
} from "../../../ports/product/product-read-model.js";
import type { MemoryDatabase, VersionedRow } from "../../memory/memory-database.js";
import { sortAndPage } from "../../memory/sort-and-page.js";
import { productsTable } from "./products-table.js";

const sortKey: Record<ProductSortField, (p: ProductView) => string | number> = {
  name: (p) => p.name.toLowerCase(),
  sku: (p) => p.sku,
  price: (p) => p.priceMinor,
  createdAt: (p) => p.createdAt,
  updatedAt: (p) => p.updatedAt,
};

export class MemoryProductReadModel implements ProductReadModel {
  constructor(private readonly db: MemoryDatabase) {}

  async get(id: string): Promise<ProductView | undefined> {
    const row = this.db.read(productsTable, id);
    return row === undefined ? undefined : toView(row);
  }

  async list(criteria: ProductCriteria): Promise<Page<ProductView>> {
    const needle = criteria.nameContains?.toLowerCase();
    const matching: ProductView[] = [];
    for (const row of this.db.rows(productsTable)) {
      const p = row.value;
      if (needle !== undefined && !p.name.toLowerCase().includes(needle)) continue;
      if (criteria.minPriceMinor !== undefined && p.priceMinor < criteria.minPriceMinor) continue;
      if (criteria.maxPriceMinor !== undefined && p.priceMinor > criteria.maxPriceMinor) continue;
      matching.push(toView(row));
    }
    return sortAndPage(matching, sortKey[criteria.sort.field], criteria);
  }
}

/** The query side shows the figures, not which orders hold the reserved units. */
function toView({ value, version }: VersionedRow<ProductState>): ProductView {
  const { reservations: _, ...fields } = value;
  return { ...fields, version };
}

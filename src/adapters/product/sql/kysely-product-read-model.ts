import { type Kysely, sql } from "kysely";
import type {
  Page,
  ProductCriteria,
  ProductReadModel,
  ProductSortField,
  ProductView,
} from "../../../ports/product/product-read-model.js";
import type { Database } from "../../persistence/kysely/database.js";
import { escapeLike, fetchPage } from "../../persistence/kysely/paged-query.js";
import { productView } from "./product-rows.js";

/** Whitelisted sort expressions: no SQL is ever built from a client's string. */
const SORT_COLUMN = {
  name: sql`lower(name)`,
  sku: sql`sku`,
  price: sql`price_minor`,
  createdAt: sql`created_at`,
  updatedAt: sql`updated_at`,
} as const satisfies Record<ProductSortField, unknown>;

/** Query side; `db` is the read replica when one is configured. */
export class KyselyProductReadModel implements ProductReadModel {
  constructor(private readonly db: Kysely<Database>) {}

  async get(id: string): Promise<ProductView | undefined> {
    const row = await this.db.selectFrom("products").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? undefined : productView(row);
  }

  async list(criteria: ProductCriteria): Promise<Page<ProductView>> {
    let filtered = this.db.selectFrom("products");
    if (criteria.nameContains !== undefined) {
      filtered = filtered.where("name", "ilike", `%${escapeLike(criteria.nameContains)}%`);
    }
    if (criteria.minPriceMinor !== undefined)
      filtered = filtered.where("price_minor", ">=", criteria.minPriceMinor);
    if (criteria.maxPriceMinor !== undefined)
      filtered = filtered.where("price_minor", "<=", criteria.maxPriceMinor);

    return fetchPage(filtered, SORT_COLUMN[criteria.sort.field], criteria, productView);
  }
}

import { type Kysely, sql } from "kysely";
import type {
  Page,
  ProductCriteria,
  ProductReadModel,
  ProductSortField,
  ProductView,
} from "../../../ports/product-read-model.js";
import type { Database } from "./database.js";
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

    const column = SORT_COLUMN[criteria.sort.field];
    const direction = criteria.sort.direction === "asc" ? sql`asc` : sql`desc`;
    const [rows, count] = await Promise.all([
      filtered
        .selectAll()
        .orderBy(sql`${column} ${direction}`)
        .orderBy(sql`id ${direction}`)
        .limit(criteria.pageSize)
        .offset((criteria.page - 1) * criteria.pageSize)
        .execute(),
      filtered.select((eb) => eb.fn.countAll<string>().as("total")).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(productView), total: Number(count.total) };
  }
}

/** A client's `%` or `_` is a literal character to look for, not a wildcard. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

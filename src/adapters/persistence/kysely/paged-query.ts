import { type RawBuilder, type Selectable, type SelectQueryBuilder, sql } from "kysely";
import type { Page } from "../../../ports/page.js";
import type { Database } from "./database.js";

export interface PageRequest {
  readonly sort: { readonly direction: "asc" | "desc" };
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

/**
 * One page of a filtered table and the total count, both from the same filter. `column` is a
 * whitelisted sort expression; ties are broken by id so pages are stable.
 */
export async function fetchPage<TB extends keyof Database, View>(
  filtered: SelectQueryBuilder<Database, TB, object>,
  column: RawBuilder<unknown>,
  request: PageRequest,
  toView: (row: Selectable<Database[TB]>) => View,
): Promise<Page<View>> {
  const direction = request.sort.direction === "asc" ? sql`asc` : sql`desc`;
  const [rows, count] = await Promise.all([
    filtered
      .selectAll()
      .orderBy(sql`${column} ${direction}`)
      .orderBy(sql`id ${direction}`)
      .limit(request.pageSize)
      .offset((request.page - 1) * request.pageSize)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<string>().as("total")).executeTakeFirstOrThrow(),
  ]);
  // selectAll() over one table is that table's row; Kysely's generic form does not reduce to it.
  return { items: (rows as unknown as Selectable<Database[TB]>[]).map(toView), total: Number(count.total) };
}

/** A client's `%` or `_` is a literal character to look for, not a wildcard. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

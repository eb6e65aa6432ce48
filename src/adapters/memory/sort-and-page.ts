import type { Page } from "../../ports/page.js";

export interface PageRequest {
  readonly sort: { readonly direction: "asc" | "desc" };
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

/** Sorts by the key, ties broken by id (stable pages, like the SQL adapters), and cuts one page. */
export function sortAndPage<T extends { readonly id: string }>(
  matching: T[],
  key: (item: T) => string | number,
  request: PageRequest,
): Page<T> {
  const sign = request.sort.direction === "asc" ? 1 : -1;
  matching.sort((a, b) => sign * (compare(key(a), key(b)) || compare(a.id, b.id)));
  const start = (request.page - 1) * request.pageSize;
  return { items: matching.slice(start, start + request.pageSize), total: matching.length };
}

function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

import * as t from "io-ts";
import type { Page } from "../../ports/page.js";
import { integer, object } from "./codecs.js";

/** Every listing answers `{ items, total, page, page_size }`. */
export function pageCodec<A, O>(item: t.Type<A, O, unknown>, name: string) {
  return object(
    {
      items: t.array(item),
      total: integer(0, Number.MAX_SAFE_INTEGER),
      page: integer(1, Number.MAX_SAFE_INTEGER),
      page_size: integer(1, Number.MAX_SAFE_INTEGER),
    },
    name,
  );
}

export function presentPage<V, A>(
  page: Page<V>,
  request: { readonly page: number; readonly pageSize: number },
  present: (view: V) => A,
): { items: A[]; total: number; page: number; page_size: number } {
  return {
    items: page.items.map(present),
    total: page.total,
    page: request.page,
    page_size: request.pageSize,
  };
}

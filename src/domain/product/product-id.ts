import { entityId } from "../shared/entity-id.js";

export type ProductId = ReturnType<typeof productId>;

export function productId(value: string) {
  return entityId<"ProductId">("productId", value);
}

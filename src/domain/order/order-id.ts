import { entityId } from "../shared/entity-id.js";

export type OrderId = ReturnType<typeof orderId>;

export function orderId(value: string) {
  return entityId<"OrderId">("orderId", value);
}

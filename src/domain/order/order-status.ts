/**
 * placed → confirmed → paid → shipped → delivered; placed → rejected; placed, confirmed or paid →
 * cancelled. Rejected, cancelled and delivered are final.
 */
export type OrderStatus =
  | "placed"
  | "confirmed"
  | "rejected"
  | "paid"
  | "shipped"
  | "delivered"
  | "cancelled";

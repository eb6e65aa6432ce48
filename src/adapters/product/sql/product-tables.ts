import type { ColumnType } from "kysely";
import type { Int8 } from "../../persistence/kysely/database.js";

declare module "../../persistence/kysely/database.js" {
  interface Database {
    products: ProductsTable;
    product_reservations: ProductReservationsTable;
    product_stock_movements: ProductStockMovementsTable;
    /** The shadow a replay fills before swapping it in for product_stock_movements. */
    product_stock_movements_rebuild: ProductStockMovementsTable;
  }
}

export interface ProductsTable {
  id: string;
  name: string;
  sku: string;
  price_minor: Int8;
  currency: string;
  on_hand: number;
  reserved: number;
  version: number;
  created_at: ColumnType<Date, Date, Date>;
  updated_at: ColumnType<Date, Date, Date>;
}

/** One open reservation per order line; the product's `reserved` is their sum. */
export interface ProductReservationsTable {
  product_id: string;
  order_id: string;
  line: number;
  quantity: number;
}

export interface ProductStockMovementsTable {
  event_id: string;
  product_id: string;
  version: number;
  kind: string;
  quantity: number;
  note: string;
  occurred_at: ColumnType<Date, Date, never>;
}

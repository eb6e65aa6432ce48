import { emailAddress, integer } from "../config/codecs.js";
import { setting } from "../config/define-config.js";
import { contextSettings } from "../context/context-module.js";

/** The product context's keys: PRODUCTS__LOW_STOCK_THRESHOLD, PRODUCTS__LOW_STOCK_ALERT_TO. */
export const productSettings = contextSettings("products", {
  lowStockThreshold: setting(integer(0, 1000000), {
    default: "5",
    live: false,
    description: "A low-stock alert is e-mailed when a product's available stock falls below this.",
  }),
  lowStockAlertTo: setting(emailAddress, {
    default: "stock@localhost",
    live: false,
    description: "Who receives low-stock alerts.",
  }),
});

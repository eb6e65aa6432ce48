import { emailAddress, integer } from "../codecs.js";
import { setting } from "../define-config.js";

// The product context's settings.

export const productsSettings = {
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
};

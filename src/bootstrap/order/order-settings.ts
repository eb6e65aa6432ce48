import { integer, oneOf, optionalText } from "../config/codecs.js";
import { setting } from "../config/define-config.js";
import { contextSettings } from "../context/context-module.js";

/** The order context's keys: ORDERS__PAYMENT_TIMEOUT_S and the payment gateway's. */
export const orderSettings = contextSettings("orders", {
  paymentTimeoutS: setting(integer(60, 30 * 24 * 3600), {
    default: "900",
    live: false,
    description: "A confirmed order not paid within this many seconds is cancelled and its stock released.",
  }),
  paymentGateway: setting(oneOf(["memory", "http"]), {
    default: { development: "memory", test: "memory", production: "http" },
    live: false,
    description:
      "Where payments are taken: memory approves every charge (development and tests only), http calls ORDERS__PAYMENT_GATEWAY_URL.",
  }),
  paymentGatewayUrl: setting(optionalText, {
    default: "",
    live: false,
    description:
      "Base URL of the payment gateway's API (ORDERS__PAYMENT_GATEWAY=http); empty leaves payments answering 503 until it is set.",
  }),
  paymentGatewayApiKey: setting(optionalText, {
    default: "",
    live: false,
    secret: true,
    description: "The payment gateway's API key, sent as a bearer token.",
  }),
  paymentGatewayTimeoutMs: setting(integer(100, 120000), {
    default: "10000",
    live: false,
    description:
      "Bound on one charge or refund call, in ms; past it the call answers 503 and is retried with the same idempotency key.",
  }),
});

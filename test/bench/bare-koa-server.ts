/**
 * Baseline: the product read on Koa with a single middleware and no router, so keel/koa shows what
 * keel's own stack (routing, validation, CQRS dispatch, codecs, logging, security headers) costs on
 * top of the framework it is built on. Prints `LISTENING <port>` once it accepts connections.
 */
import type { AddressInfo } from "node:net";
import Koa from "koa";
import { portFromEnv, productEnvelope, productIdFromPath } from "./product-envelope.js";

const app = new Koa();

app.use((ctx) => {
  const id = ctx.method === "GET" ? productIdFromPath(ctx.url) : undefined;
  if (id === undefined) return;
  // An object body is how a Koa app answers JSON: Koa stringifies it per response and sets
  // `application/json; charset=utf-8`, exactly as it does for keel.
  ctx.body = productEnvelope(id);
});

const server = app.listen(portFromEnv(), "127.0.0.1", () => {
  process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`);
});

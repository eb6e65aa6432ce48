import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { ReserveStock } from "../../../src/application/product/reserve-stock.js";
import type { Command } from "../../../src/application/shared/message.js";
import type { MessageBus } from "../../../src/application/shared/message-bus.js";
import { Tokens } from "../../../src/bootstrap/tokens.js";
import { asAdmin } from "../../support/auth.js";
import { call, startTestServer, type TestServer } from "../../support/test-server.js";
import { suite } from "../../support/uvu.js";

/**
 * What reservations look like over HTTP: no route reserves (the order checkout sends ReserveStock as
 * the system), but every product response shows reserved and available stock, and an admin's stock
 * adjustment that would eat into reserved units is a 409 naming what is available.
 */

const http = suite<{ server: TestServer; admin: Record<string, string>; id: string }>(
  "stock reservations over HTTP",
);

http.before(async (context) => {
  context.server = await startTestServer();
  context.admin = await asAdmin(context.server.url);
  const created = await call(`${context.server.url}/api/v1/products`, {
    method: "POST",
    headers: context.admin,
    json: { name: "Reserved stool", sku: "RSV-1", price: 4999, currency: "EUR", stock: 10 },
  });
  assert.is(created.status, 201, JSON.stringify(created.body));
  context.id = created.body.data.id;
  const commands = context.server.container.get<MessageBus<Command<unknown>>>(Tokens.CommandBus);
  await commands.dispatch(
    new ReserveStock(
      { principal: { kind: "system", name: "order-checkout" }, correlationId: "reservations-http" },
      { productId: context.id, orderId: randomUUID(), line: 0, quantity: 7 },
    ),
  );
});

http.after(async ({ server }) => {
  await server.stop();
});

http(
  "given 7 of 10 reserved, when the product is read in v1, then stock, reserved and available are flat fields",
  async ({ server, id }) => {
    const res = await call(`${server.url}/api/v1/products/${id}`);
    assert.is(res.status, 200);
    assert.equal([res.body.data.stock, res.body.data.reserved, res.body.data.available], [10, 7, 3]);
  },
);

http(
  "given 7 of 10 reserved, when the product is read in v2, then the figures are grouped under stock",
  async ({ server, id }) => {
    const res = await call(`${server.url}/api/v2/products/${id}`);
    assert.is(res.status, 200);
    assert.equal(res.body.data.stock, { on_hand: 10, reserved: 7, available: 3 });
  },
);

http(
  "given 7 of 10 reserved, when an admin writes off 4, then 409 INSUFFICIENT_STOCK names 3 available and nothing changes",
  async ({ server, admin, id }) => {
    const res = await call(`${server.url}/api/v1/products/${id}/stock-adjustments`, {
      method: "POST",
      headers: admin,
      json: { delta: -4, reason: "write-off" },
    });
    assert.is(res.status, 409);
    assert.is(res.body.code, "INSUFFICIENT_STOCK");
    assert.match(res.body.message, /3 available, 4 requested/);
    const after = await call(`${server.url}/api/v1/products/${id}`);
    assert.equal([after.body.data.stock, after.body.data.reserved], [10, 7]);
  },
);

http.run();

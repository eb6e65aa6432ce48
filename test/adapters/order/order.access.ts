import { randomUUID } from "node:crypto";
import { ORDER_MANAGE } from "../../../src/application/order/order-permissions.js";
import { orderId } from "../../../src/domain/order/order-id.js";
import { OrderRepository } from "../../../src/ports/order/order-repository.js";
import { PaymentGateway } from "../../../src/ports/order/payment-gateway.js";
import { UnitOfWork } from "../../../src/ports/unit-of-work.js";
import {
  type AccessRules,
  type Cell,
  expectOk,
  type Fixtures,
  ownAccountOr,
  ownedOr,
  ownerOr,
  permission,
  preparedId,
  unique,
} from "../../support/access-rules.js";
import { bearer } from "../../support/auth.js";
import { call } from "../../support/test-server.js";

/**
 * The order context's routes in the authorization matrix. A customer's own orders are theirs by
 * ownership (any signed-in user; an API key only with order:manage); the back office's routes need
 * order:manage. `/orders/:id` routes are about the subject's order (`ownedOr`): another signed-in
 * customer is told it does not exist (404), not that it is forbidden.
 */

const ADDRESS = {
  name: "Matrix Customer",
  lines: ["1 Main St"],
  city: "Springfield",
  postal_code: "12345",
  country: "US",
};

const orderBody = (productId: string) => ({
  lines: [{ product_id: productId, quantity: 1 }],
  shipping_address: ADDRESS,
});

type Prepared = Pick<Fixtures, "server" | "subject"> & {
  readonly prepared: Readonly<Record<string, string>>;
};

/** A fresh order of the subject's, placed over HTTP, then brought to `status` as the checkout and payment would. */
async function subjectOrder(
  fixtures: Prepared,
  status: "placed" | "confirmed" | "paid" | "shipped" = "placed",
): Promise<string> {
  const res = await call(`${fixtures.server.url}/api/v1/orders`, {
    method: "POST",
    headers: bearer(fixtures.subject.token),
    json: orderBody(fixtures.prepared.orderProduct as string),
  });
  const id: string = (await expectOk(res, "placing the subject's order")).body.data.id;
  if (status === "placed") return id;
  // Stock and payment belong to other modules; the order's own port records their outcome.
  const container = fixtures.server.container;
  const orders = container.get<OrderRepository>(OrderRepository);
  await container
    .get<UnitOfWork>(UnitOfWork)
    .run({ correlationId: "matrix", principal: "system:matrix" }, async () => {
      const order = await orders.get(orderId(id));
      if (order === undefined) throw new Error(`order ${id} vanished`);
      const now = new Date();
      order.confirm(now);
      if (status !== "confirmed") order.markPaid(`matrix-${randomUUID()}`, now);
      if (status === "shipped") order.ship(now);
      await orders.save(order);
    });
  return id;
}

const fresh =
  (status: "placed" | "confirmed" | "paid" | "shipped") =>
  async ({ fixtures }: Cell) => ({ params: { id: await subjectOrder(fixtures, status) } });

export const access: AccessRules = {
  prepare: async (fixtures) => {
    // The matrix asks who may pay, not what the gateway says: while the service binds no gateway
    // (its adapters are built elsewhere), one that approves every charge stands in for this run.
    const container = fixtures.server.container;
    if (!container.isBound(PaymentGateway)) {
      container.bind<PaymentGateway>(PaymentGateway).toConstantValue({
        charge: async (request) => ({ outcome: "approved", paymentReference: `matrix-${request.orderId}` }),
        refund: async () => ({ outcome: "refunded", refundReference: "matrix-refund" }),
      });
    }
    const res = await call(`${fixtures.server.url}/api/v1/products`, {
      method: "POST",
      headers: fixtures.admin.headers,
      json: { name: "Matrix lamp", sku: unique("MXO"), price: 1500, currency: "EUR", stock: 1000 },
    });
    const orderProduct: string = (await expectOk(res, "creating the orders' product")).body.data.id;
    const subjectsOrder = await subjectOrder({ ...fixtures, prepared: { orderProduct } });
    return { orderProduct, subjectsOrder };
  },
  rules: {
    "POST /orders": {
      access: ownAccountOr(ORDER_MANAGE),
      sample: (cell) => ({ json: orderBody(preparedId(cell, "orderProduct")) }),
    },
    "GET /orders": { access: ownAccountOr(ORDER_MANAGE), sample: () => ({}) },
    "GET /orders/summary": { access: ownAccountOr(ORDER_MANAGE), sample: () => ({}) },
    "GET /orders/:id": {
      access: ownedOr(ORDER_MANAGE),
      sample: (cell) => ({ params: { id: preparedId(cell, "subjectsOrder") } }),
    },
    "POST /orders/:id/cancel": { access: ownedOr(ORDER_MANAGE), sample: fresh("placed") },
    "POST /orders/:id/payment": { access: ownedOr(ORDER_MANAGE), sample: fresh("confirmed") },
    "POST /orders/:id/ship": { access: permission(ORDER_MANAGE), sample: fresh("paid") },
    "POST /orders/:id/deliver": { access: permission(ORDER_MANAGE), sample: fresh("shipped") },
    "GET /admin/orders": { access: permission(ORDER_MANAGE), sample: () => ({}) },
    "GET /customers/:id/order-summary": {
      access: ownerOr(ORDER_MANAGE),
      sample: ({ fixtures }) => ({ params: { id: fixtures.subject.id } }),
    },
  },
};

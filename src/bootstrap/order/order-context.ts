import type { Container } from "inversify";
import { EventLogProductCatalog } from "../../adapters/order/catalog/event-log-product-catalog.js";
import { v1OrderRoutes } from "../../adapters/order/http/v1-orders.js";
import { v2OrderRoutes } from "../../adapters/order/http/v2-orders.js";
import { MemoryOrderReadModel } from "../../adapters/order/memory/memory-order-read-model.js";
import { MemoryOrderRepository } from "../../adapters/order/memory/memory-order-repository.js";
import { MemoryOrderSummaries } from "../../adapters/order/memory/memory-order-summaries.js";
import * as orders from "../../adapters/order/migrations/2026-11-30T1000-orders.js";
import { KyselyOrderReadModel } from "../../adapters/order/sql/kysely-order-read-model.js";
import { KyselyOrderRepository } from "../../adapters/order/sql/kysely-order-repository.js";
import { KyselyOrderSummaries } from "../../adapters/order/sql/kysely-order-summaries.js";
import { OrderSummaryRebuild } from "../../adapters/order/sql/order-summary-rebuild.js";
import { CancelOrder, CancelOrderHandler } from "../../application/order/cancel-order.js";
import {
  ConfirmOrder,
  ConfirmOrderHandler,
  RejectOrder,
  RejectOrderHandler,
} from "../../application/order/checkout-outcome.js";
import {
  MarkDelivered,
  MarkDeliveredHandler,
  ShipOrder,
  ShipOrderHandler,
} from "../../application/order/fulfil-order.js";
import { GetOrder, GetOrderHandler } from "../../application/order/get-order.js";
import { GetOrderSummary, GetOrderSummaryHandler } from "../../application/order/get-order-summary.js";
import {
  ListAllOrders,
  ListAllOrdersHandler,
  ListMyOrders,
  ListMyOrdersHandler,
} from "../../application/order/list-orders.js";
import { OrderConfirmationMail, OrderShippedMail } from "../../application/order/order-mails.js";
import { ORDER_MANAGE } from "../../application/order/order-permissions.js";
import { OrderSummaryProjection } from "../../application/order/order-summary-projection.js";
import { PayOrder, PayOrderHandler } from "../../application/order/pay-order.js";
import { PlaceOrder, PlaceOrderHandler } from "../../application/order/place-order.js";
import { Clock } from "../../ports/clock.js";
import { DependencyUnavailable } from "../../ports/dependency-unavailable.js";
import { EventLog } from "../../ports/event-log.js";
import { IdGenerator } from "../../ports/id-generator.js";
import { Mailer } from "../../ports/mailer.js";
import { OrderReadModel } from "../../ports/order/order-read-model.js";
import { OrderRepository } from "../../ports/order/order-repository.js";
import { OrderSummaries } from "../../ports/order/order-summaries.js";
import { PaymentGateway } from "../../ports/order/payment-gateway.js";
import { ProductCatalog } from "../../ports/order/product-catalog.js";
import { ReadModelRebuilds } from "../../ports/read-model-rebuild.js";
import { UnitOfWork } from "../../ports/unit-of-work.js";
import { UserReadModel } from "../../ports/user/user-read-model.js";
import { defineContext } from "../context/context-module.js";
import { bindAdapter, bindCommand, bindQuery, handles } from "../modules/handler-registration.js";
import { Tokens } from "../tokens.js";

/** Orders: placing, paying, cancelling and fulfilling them, each customer's summary, and their mails. */
export default defineContext({
  name: "order",
  permissions: {
    [ORDER_MANAGE]: {
      description: "Read, list and cancel any customer's orders; ship them and mark them delivered.",
      grantedTo: ["admin"],
    },
  },
  migrations: { "2026-11-30T1000-orders": orders },
  adapters: {
    memory: ({ container }) => {
      bindAdapter(container, OrderRepository, MemoryOrderRepository, [Tokens.MemoryDatabase]);
      bindAdapter(container, OrderReadModel, MemoryOrderReadModel, [Tokens.MemoryDatabase]);
      bindAdapter(container, OrderSummaries, MemoryOrderSummaries, [Tokens.MemoryDatabase]);
    },
    sql: ({ container }) => {
      bindAdapter(container, OrderRepository, KyselyOrderRepository, [Tokens.TransactionScope, IdGenerator]);
      bindAdapter(container, OrderReadModel, KyselyOrderReadModel, [Tokens.ReadDatabase]);
      bindAdapter(container, OrderSummaries, KyselyOrderSummaries, [Tokens.TransactionScope]);
      bindAdapter(container, ReadModelRebuilds, OrderSummaryRebuild, [Tokens.TransactionScope, EventLog]);
    },
  },
  bind: ({ container }) => {
    bindAdapter(container, ProductCatalog, EventLogProductCatalog, [EventLog]);
    bindCommand(container, PlaceOrder, PlaceOrderHandler, [
      OrderRepository,
      ProductCatalog,
      IdGenerator,
      Clock,
    ]);
    bindCommand(container, CancelOrder, CancelOrderHandler, [OrderRepository, Clock]);
    bindCommand(container, ShipOrder, ShipOrderHandler, [OrderRepository, Clock]);
    bindCommand(container, MarkDelivered, MarkDeliveredHandler, [OrderRepository, Clock]);
    bindCommand(container, ConfirmOrder, ConfirmOrderHandler, [OrderRepository, Clock]);
    bindCommand(container, RejectOrder, RejectOrderHandler, [OrderRepository, Clock]);
    container
      .bind(Tokens.CommandHandlers)
      .toResolvedValue(
        (orders: OrderRepository, unitOfWork: UnitOfWork, clock: Clock) =>
          handles(PayOrder, new PayOrderHandler(orders, gatewayWhenBound(container), unitOfWork, clock)),
        [OrderRepository, UnitOfWork, Clock],
      );
    bindQuery(container, GetOrder, GetOrderHandler, [OrderReadModel]);
    bindQuery(container, ListMyOrders, ListMyOrdersHandler, [OrderReadModel]);
    bindQuery(container, ListAllOrders, ListAllOrdersHandler, [OrderReadModel]);
    bindQuery(container, GetOrderSummary, GetOrderSummaryHandler, [OrderSummaries]);

    container
      .bind(Tokens.EventHandlers)
      .toResolvedValue(
        (summaries: OrderSummaries, log: EventLog) => new OrderSummaryProjection(summaries, log),
        [OrderSummaries, EventLog],
      );
    for (const Mail of [OrderConfirmationMail, OrderShippedMail]) {
      container
        .bind(Tokens.EventHandlers)
        .toResolvedValue(
          (log: EventLog, users: UserReadModel, mailer: Mailer) => new Mail(log, users, mailer),
          [EventLog, UserReadModel, Mailer],
        );
    }
  },
  routes: { v1: v1OrderRoutes, v2: v2OrderRoutes },
});

/**
 * The payment gateway's adapters are bound by their own module, which may not be installed: rather
 * than every handler failing to resolve without one, paying resolves it when it charges, and answers
 * like an outage (503, Retry-After) while none is bound.
 */
function gatewayWhenBound(container: Container): PaymentGateway {
  const gateway = (): PaymentGateway => {
    if (!container.isBound(PaymentGateway)) throw new DependencyUnavailable("payment gateway", 60);
    return container.get(PaymentGateway);
  };
  return { charge: (request) => gateway().charge(request), refund: (request) => gateway().refund(request) };
}

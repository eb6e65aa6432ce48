import { EventLogProductCatalog } from "../../adapters/order/catalog/event-log-product-catalog.js";
import { v1OrderRoutes } from "../../adapters/order/http/v1-orders.js";
import { v2OrderRoutes } from "../../adapters/order/http/v2-orders.js";
import { MemoryOrderReadModel } from "../../adapters/order/memory/memory-order-read-model.js";
import { MemoryOrderRepository } from "../../adapters/order/memory/memory-order-repository.js";
import { MemoryOrderSummaries } from "../../adapters/order/memory/memory-order-summaries.js";
import * as orders from "../../adapters/order/migrations/2026-11-30T1000-orders.js";
import { HttpPaymentGateway } from "../../adapters/order/payment/http-payment-gateway.js";
import { MemoryPaymentGateway } from "../../adapters/order/payment/memory-payment-gateway.js";
import { KyselyOrderReadModel } from "../../adapters/order/sql/kysely-order-read-model.js";
import { KyselyOrderRepository } from "../../adapters/order/sql/kysely-order-repository.js";
import { KyselyOrderSummaries } from "../../adapters/order/sql/kysely-order-summaries.js";
import { OrderSummaryRebuild } from "../../adapters/order/sql/order-summary-rebuild.js";
import { CatalogueStockReservations } from "../../adapters/order/stock/catalogue-stock-reservations.js";
import { CancelOrder, CancelOrderHandler } from "../../application/order/cancel-order.js";
import { CheckoutProcess } from "../../application/order/checkout/checkout-process.js";
import {
  CommitOrderStock,
  PaymentDeadline,
  ReleaseOrderStock,
  ReserveOrderStock,
} from "../../application/order/checkout/checkout-steps.js";
import { ExpireOrder, ExpireOrderHandler } from "../../application/order/checkout/expire-order.js";
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
import type { Command } from "../../application/shared/message.js";
import type { MessageBus } from "../../application/shared/message-bus.js";
import { Clock } from "../../ports/clock.js";
import { DependencyUnavailable } from "../../ports/dependency-unavailable.js";
import { EventLog } from "../../ports/event-log.js";
import { HealthCheck } from "../../ports/health-check.js";
import { IdGenerator } from "../../ports/id-generator.js";
import { Jobs } from "../../ports/jobs.js";
import { Mailer } from "../../ports/mailer.js";
import { OrderReadModel } from "../../ports/order/order-read-model.js";
import { OrderRepository } from "../../ports/order/order-repository.js";
import { OrderSummaries } from "../../ports/order/order-summaries.js";
import { PaymentGateway } from "../../ports/order/payment-gateway.js";
import { ProductCatalog } from "../../ports/order/product-catalog.js";
import { StockReservations } from "../../ports/order/stock-reservations.js";
import { ReadModelRebuilds } from "../../ports/read-model-rebuild.js";
import { UnitOfWork } from "../../ports/unit-of-work.js";
import { UserReadModel } from "../../ports/user/user-read-model.js";
import type { AppConfig } from "../config/index.js";
import { defineContext } from "../context/context-module.js";
import { bindAdapter, bindCommand, bindJobHandler, bindQuery } from "../modules/handler-registration.js";
import { Tokens } from "../tokens.js";
import { orderSettings } from "./order-settings.js";

/** Orders: placing, paying, cancelling and fulfilling them, each customer's summary, and their mails. */
export default defineContext({
  name: "order",
  settings: orderSettings,
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
  bind: ({ container, config }) => {
    const settings = orderSettings.of(config);
    bindAdapter(container, ProductCatalog, EventLogProductCatalog, [EventLog]);
    container
      .bind(StockReservations)
      .toResolvedValue(
        (commands: MessageBus<Command<unknown>>) => new CatalogueStockReservations(commands),
        [Tokens.CommandBus],
      );
    const gateway = paymentGateway(config, settings);
    container.bind(PaymentGateway).toConstantValue(gateway.adapter);
    container.bind(HealthCheck).toConstantValue(gateway.check);
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
    bindCommand(container, PayOrder, PayOrderHandler, [OrderRepository, PaymentGateway, UnitOfWork, Clock]);
    bindCommand(container, ExpireOrder, ExpireOrderHandler, [OrderRepository, Clock]);
    bindQuery(container, GetOrder, GetOrderHandler, [OrderReadModel]);
    bindQuery(container, ListMyOrders, ListMyOrdersHandler, [OrderReadModel]);
    bindQuery(container, ListAllOrders, ListAllOrdersHandler, [OrderReadModel]);
    bindQuery(container, GetOrderSummary, GetOrderSummaryHandler, [OrderSummaries]);

    // The checkout: order events become jobs, whose handlers reserve, release and commit stock,
    // confirm or reject, refund, and cancel orders left unpaid.
    container
      .bind(Tokens.EventHandlers)
      .toResolvedValue((jobs: Jobs) => new CheckoutProcess(jobs, settings), [Jobs]);
    container
      .bind(Tokens.JobHandlers)
      .toResolvedValue(
        (orders: OrderRepository, stock: StockReservations, commands: MessageBus<Command<unknown>>) =>
          new ReserveOrderStock(orders, stock, commands),
        [OrderRepository, StockReservations, Tokens.CommandBus],
      );
    bindJobHandler(container, ReleaseOrderStock, [OrderRepository, StockReservations, PaymentGateway]);
    bindJobHandler(container, CommitOrderStock, [OrderRepository, StockReservations]);
    container
      .bind(Tokens.JobHandlers)
      .toResolvedValue(
        (commands: MessageBus<Command<unknown>>) => new PaymentDeadline(commands, settings),
        [Tokens.CommandBus],
      );

    container
      .bind(Tokens.EventHandlers)
      .toResolvedValue(
        (summaries: OrderSummaries, log: EventLog) => new OrderSummaryProjection(summaries, log),
        [OrderSummaries, EventLog],
      );
    bindJobHandler(container, OrderConfirmationMail, [EventLog, UserReadModel, Mailer]);
    bindJobHandler(container, OrderShippedMail, [EventLog, UserReadModel, Mailer]);
  },
  routes: { v1: v1OrderRoutes, v2: v2OrderRoutes },
});

/**
 * The gateway payments go through, and what readiness says of it. Memory approves every charge, so
 * production takes it only with ALLOW_MEMORY_ADAPTERS; http without a URL cannot pay. Either way the
 * service still starts and serves everything else: paying answers 503 with Retry-After, and readiness
 * reports the gateway down (not required) with the key to set.
 */
function paymentGateway(
  config: AppConfig,
  settings: ReturnType<typeof orderSettings.of>,
): { adapter: PaymentGateway; check: HealthCheck } {
  const refusal =
    settings.paymentGateway === "memory"
      ? config.appEnv === "production" && config.allowMemoryAdapters !== true
        ? "ORDERS__PAYMENT_GATEWAY=memory approves every charge; production needs http (or ALLOW_MEMORY_ADAPTERS=true)"
        : undefined
      : settings.paymentGatewayUrl === undefined
        ? "ORDERS__PAYMENT_GATEWAY=http needs ORDERS__PAYMENT_GATEWAY_URL"
        : undefined;
  const check = (reason?: string): HealthCheck => ({
    name: "payment-gateway",
    required: false,
    check: async () => {
      if (reason !== undefined) throw new Error(reason);
    },
  });
  if (refusal !== undefined) {
    const unavailable = async (): Promise<never> => {
      throw new DependencyUnavailable("payment gateway", 60);
    };
    return { adapter: { charge: unavailable, refund: unavailable }, check: check(refusal) };
  }
  if (settings.paymentGateway === "memory") return { adapter: new MemoryPaymentGateway(), check: check() };
  return {
    adapter: new HttpPaymentGateway({
      baseUrl: settings.paymentGatewayUrl as string,
      apiKey: settings.paymentGatewayApiKey ?? "",
      timeoutMs: settings.paymentGatewayTimeoutMs,
    }),
    check: check(),
  };
}

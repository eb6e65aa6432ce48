import { asCheckout } from "../../../application/order/checkout/checkout-jobs.js";
import { CommitStock } from "../../../application/product/commit-stock.js";
import { ReleaseStock } from "../../../application/product/release-stock.js";
import { ReserveStock } from "../../../application/product/reserve-stock.js";
import type { Command } from "../../../application/shared/message.js";
import type { MessageBus } from "../../../application/shared/message-bus.js";
import { NotFound } from "../../../application/shared/not-found.js";
import { Refusal } from "../../../application/shared/refusal.js";
import { DomainError } from "../../../domain/shared/domain-error.js";
import type {
  LineReservation,
  ReservationOutcome,
  StockReservations,
} from "../../../ports/order/stock-reservations.js";

/**
 * The order context's stock port over the product context's commands: its anti-corruption layer, the
 * one place the order context knows the catalogue's messages. Each call is one command, so one unit
 * of work of the catalogue's own; the catalogue refusing a reservation (too little stock, no such
 * product) is an answer, anything else (an outage, a bug) is the caller's failure to retry.
 */
export class CatalogueStockReservations implements StockReservations {
  constructor(private readonly commands: MessageBus<Command<unknown>>) {}

  async reserve(reservation: LineReservation, correlationId: string): Promise<ReservationOutcome> {
    const { orderId, line, productId, quantity } = reservation;
    try {
      await this.commands.dispatch(
        new ReserveStock(asCheckout(correlationId), { productId, orderId, line, quantity }),
      );
      return { reserved: true };
    } catch (error) {
      if (error instanceof DomainError || error instanceof Refusal)
        return { reserved: false, reason: `line ${line + 1}: ${error.message}` };
      throw error;
    }
  }

  async release(orderId: string, productIds: readonly string[], correlationId: string): Promise<void> {
    for (const productId of productIds)
      await onProduct(
        this.commands.dispatch(new ReleaseStock(asCheckout(correlationId), { productId, orderId })),
      );
  }

  async commit(orderId: string, productIds: readonly string[], correlationId: string): Promise<void> {
    for (const productId of productIds)
      await onProduct(
        this.commands.dispatch(new CommitStock(asCheckout(correlationId), { productId, orderId })),
      );
  }
}

/** A product that no longer exists holds nothing for the order: there is nothing to give back or ship from. */
async function onProduct(done: Promise<unknown>): Promise<void> {
  try {
    await done;
  } catch (error) {
    if (!(error instanceof NotFound)) throw error;
  }
}

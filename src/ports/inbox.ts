import { token } from "./token.js";

/**
 * Which events each subscriber has already applied. Called inside the subscriber's unit of work,
 * so the mark commits with the effect or not at all: a redelivered event then has no second effect.
 */
export interface Inbox {
  /** Records the event as processed by `subscriber`; false when it already was. */
  markProcessed(subscriber: string, eventId: string): Promise<boolean>;
}
export const Inbox = token<Inbox>("Inbox");

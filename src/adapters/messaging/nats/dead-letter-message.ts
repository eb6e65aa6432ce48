import type { StoredMsg } from "@nats-io/jetstream";
import type { MsgHdrs } from "@nats-io/transport-node";
import type { DeadLetter } from "../../../ports/event-bus.js";
import { decodeEvent, eventHeaders, headerValue, parseJson } from "./event-message.js";

/**
 * A dead letter's body is the DeadLetter without its id (the id is the dead-letter stream sequence,
 * known only once stored); headers carry the event's own headers plus why and where it failed.
 */
export function deadLetterHeaders(letter: Omit<DeadLetter, "id">): MsgHdrs {
  const h = eventHeaders(letter.event);
  h.set("Keel-Subscription", letter.subscription);
  h.set("Keel-Dead-Reason", headerValue(letter.reason));
  h.set("Keel-Deliveries", String(letter.deliveries));
  h.set("Keel-Failed-At", letter.failedAt);
  return h;
}

export function decodeDeadLetter(message: StoredMsg): DeadLetter | undefined {
  const body = parseJson(message.data);
  if (typeof body !== "object" || body === null) return undefined;
  const { event, subscription, reason, deliveries, failedAt } = body as Record<string, unknown>;
  const decoded = decodeEvent(event);
  if (
    decoded === undefined ||
    typeof subscription !== "string" ||
    typeof reason !== "string" ||
    typeof deliveries !== "number" ||
    typeof failedAt !== "string"
  ) {
    return undefined;
  }
  return { id: String(message.seq), event: decoded, subscription, reason, deliveries, failedAt };
}

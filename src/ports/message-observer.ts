import { token } from "./token.js";

/**
 * How a bus message ended: handled, refused by a business rule (an expected answer), not handled
 * because a dependency is down (an outage, not the message's fault), or failed unexpectedly.
 */
export type MessageOutcome = "ok" | "refused" | "unavailable" | "error";

/** Told of every command and query the buses dispatch; metrics implement it, the core never knows how. */
export interface MessageObserver {
  /** `messageType` is the message's class name, never anything taken from its payload. */
  observe(messageType: string, outcome: MessageOutcome, seconds: number): void;
}
export const MessageObserver = token<MessageObserver>("MessageObserver");

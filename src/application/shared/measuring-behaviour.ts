import { DomainError } from "../../domain/shared/domain-error.js";
import { DependencyUnavailable } from "../../ports/dependency-unavailable.js";
import type { MessageObserver, MessageOutcome } from "../../ports/message-observer.js";
import type { Behaviour } from "./behaviour.js";
import type { Message } from "./message.js";
import { Refusal } from "./refusal.js";

/**
 * Reports each message's outcome and duration to an observer. Outermost in the pipeline, so that the
 * time includes authorization and the unit of work, and a refusal from either counts as refused.
 */
export class MeasuringBehaviour implements Behaviour {
  constructor(private readonly observer: MessageObserver) {}

  async handle<TResult>(message: Message<TResult>, next: () => Promise<TResult>): Promise<TResult> {
    const started = performance.now();
    let outcome: MessageOutcome = "error";
    try {
      const result = await next();
      outcome = "ok";
      return result;
    } catch (error) {
      outcome = outcomeOf(error);
      throw error;
    } finally {
      this.observer.observe(message.messageType, outcome, (performance.now() - started) / 1000);
    }
  }
}

/** How a failed message ended: refused by a rule, held up by an outage, or an error. */
export function outcomeOf(error: unknown): MessageOutcome {
  if (error instanceof DomainError || error instanceof Refusal) return "refused";
  if (error instanceof DependencyUnavailable) return "unavailable";
  return "error";
}

import { DomainError } from "../../domain/shared/domain-error.js";
import { DependencyUnavailable } from "../../ports/dependency-unavailable.js";
import type { Logger } from "../../ports/logger.js";
import type { Behaviour } from "./behaviour.js";
import type { Message } from "./message.js";
import { Refusal } from "./refusal.js";

/**
 * Logs each message with its outcome and duration. Refusals by business rules are expected
 * outcomes (info); so is a dependency outage (debug: it is reported once per window where it is
 * answered, not once per message); anything else that escapes a handler is an error worth a stack trace.
 */
export class LoggingBehaviour implements Behaviour {
  constructor(private readonly logger: Logger) {}

  async handle<TResult>(message: Message<TResult>, next: () => Promise<TResult>): Promise<TResult> {
    const started = performance.now();
    const fields = { message: message.messageType, correlationId: message.context.correlationId };
    try {
      const result = await next();
      if (this.logger.isLevelEnabled("debug"))
        this.logger.debug({ ...fields, ms: elapsed(started) }, "handled");
      return result;
    } catch (error) {
      if (error instanceof DomainError || error instanceof Refusal) {
        this.logger.info({ ...fields, ms: elapsed(started), refused: error.code }, "refused");
      } else if (error instanceof DependencyUnavailable) {
        this.logger.debug(
          { ...fields, ms: elapsed(started), unavailable: error.dependency },
          "dependency unavailable",
        );
      } else {
        this.logger.error({ ...fields, ms: elapsed(started), err: error }, "failed");
      }
      throw error;
    }
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}

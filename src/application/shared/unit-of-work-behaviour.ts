import type { EventMetadata } from "../../ports/event-log.js";
import { ConcurrencyConflict, type UnitOfWork } from "../../ports/unit-of-work.js";
import type { Behaviour } from "./behaviour.js";
import { describePrincipal, type ExecutionContext } from "./execution-context.js";
import type { Handler, Message } from "./message.js";

/**
 * Runs each command in one transaction. A concurrency conflict means another command saved the
 * same aggregate first: the handler runs again on fresh state, a bounded number of times. Any other
 * error ends the command, a VersionMismatch included: a write conditional on the state its client
 * saw must not be re-applied to a newer one.
 */
export class UnitOfWorkBehaviour implements Behaviour {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly maxAttempts = 3,
  ) {}

  async handle<TResult>(
    message: Message<TResult>,
    next: () => Promise<TResult>,
    handler: Handler<Message<TResult>>,
  ): Promise<TResult> {
    if (handler.ownsTransaction === true) return next();
    const metadata = eventMetadata(message.context);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.unitOfWork.run(metadata, next);
      } catch (error) {
        if (!(error instanceof ConcurrencyConflict) || attempt >= this.maxAttempts) throw error;
      }
    }
  }
}

/** What every event appended in a unit of work is stamped with. */
export function eventMetadata(context: ExecutionContext): EventMetadata {
  return {
    correlationId: context.correlationId,
    ...(context.causationId === undefined ? {} : { causationId: context.causationId }),
    principal: describePrincipal(context.principal),
  };
}

import { ConcurrencyConflict, type UnitOfWork } from "../../ports/unit-of-work.js";
import type { Behaviour } from "./behaviour.js";
import { describePrincipal } from "./execution-context.js";
import type { Message } from "./message.js";

/**
 * Runs each command in one transaction. A concurrency conflict means another command saved the
 * same aggregate first: the handler runs again on fresh state, a bounded number of times.
 */
export class UnitOfWorkBehaviour implements Behaviour {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly maxAttempts = 3,
  ) {}

  async handle<TResult>(message: Message<TResult>, next: () => Promise<TResult>): Promise<TResult> {
    const { context } = message;
    const metadata = {
      correlationId: context.correlationId,
      ...(context.causationId === undefined ? {} : { causationId: context.causationId }),
      principal: describePrincipal(context.principal),
    };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.unitOfWork.run(metadata, next);
      } catch (error) {
        if (!(error instanceof ConcurrencyConflict) || attempt >= this.maxAttempts) throw error;
      }
    }
  }
}

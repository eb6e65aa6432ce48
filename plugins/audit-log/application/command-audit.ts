import type { Behaviour } from "../../../src/application/shared/behaviour.js";
import { describePrincipal } from "../../../src/application/shared/execution-context.js";
import type { Handler, Message } from "../../../src/application/shared/message.js";
import { eventMetadata } from "../../../src/application/shared/unit-of-work-behaviour.js";
import type { Clock } from "../../../src/ports/clock.js";
import type { IdGenerator } from "../../../src/ports/id-generator.js";
import type { UnitOfWork } from "../../../src/ports/unit-of-work.js";
import type { AuditTrail } from "../ports/audit-trail.js";

/**
 * Records every command that succeeds, as a behaviour of the command bus rather than an event
 * subscriber: a behaviour sees the command itself — its name, principal and correlation id, and the
 * id its result names — where a subscriber sees only events, which do not name the command and which
 * not every command records (signing in, revoking a key record none). It runs inside the unit of
 * work (contributed behaviours are innermost), so the entry commits with the command's changes or not
 * at all: a failed command, or an attempt retried after a concurrency conflict, leaves no entry. A
 * handler that opens its own unit of work (one that hashes a password first) has finished it by the
 * time this runs, so its entry is written in a unit of work of its own, just after.
 */
export class CommandAudit implements Behaviour {
  constructor(
    private readonly trail: AuditTrail,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async handle<TResult>(
    message: Message<TResult>,
    next: () => Promise<TResult>,
    _handler: Handler<Message<TResult>>,
  ): Promise<TResult> {
    const result = await next();
    const { context } = message;
    // Joins the command's unit of work when one is open; opens one otherwise.
    await this.unitOfWork.run(eventMetadata(context), () =>
      this.trail.record({
        id: this.ids.next(),
        message: message.messageType,
        principal: describePrincipal(context.principal),
        correlationId: context.correlationId,
        aggregateId: aggregateIdOf(result),
        recordedAt: this.clock.now().toISOString(),
      }),
    );
    return result;
  }
}

/** A write returns the id of the aggregate it wrote (`Written`); other results name none. */
function aggregateIdOf(result: unknown): string | undefined {
  const id = typeof result === "object" && result !== null ? (result as { id?: unknown }).id : undefined;
  return typeof id === "string" ? id : undefined;
}

import type { Tracer } from "@opentelemetry/api";
import type { Behaviour } from "../../application/shared/behaviour.js";
import { outcomeOf } from "../../application/shared/measuring-behaviour.js";
import type { Message } from "../../application/shared/message.js";
import { inSpan } from "./keel-tracing.js";

/**
 * A span per command or query, named after the message (`command CreateProduct`), child of whatever
 * is active (the HTTP request, the subscriber). Outermost in the pipeline, so the unit of work, its
 * SQL and every log line the message writes fall inside it. A refusal (a broken rule, a missing
 * permission) is an answer, not a failure: only errors and outages set status ERROR.
 */
export class TracingBehaviour implements Behaviour {
  constructor(
    private readonly tracer: Tracer,
    private readonly kind: "command" | "query",
  ) {}

  handle<TResult>(message: Message<TResult>, next: () => Promise<TResult>): Promise<TResult> {
    return inSpan(
      this.tracer,
      `${this.kind} ${message.messageType}`,
      {
        attributes: {
          "keel.message": message.messageType,
          "keel.message.kind": this.kind,
          "keel.principal.kind": message.context.principal.kind,
          "keel.correlation_id": message.context.correlationId,
        },
        expected: (error) => outcomeOf(error) === "refused",
      },
      async (span) => {
        try {
          return await next();
        } catch (error) {
          span.setAttribute("keel.outcome", outcomeOf(error));
          throw error;
        }
      },
    );
  }
}

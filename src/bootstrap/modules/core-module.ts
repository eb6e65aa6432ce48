import { RandomIdGenerator } from "../../adapters/system/random-id-generator.js";
import { SystemClock } from "../../adapters/system/system-clock.js";
import type { KeelTracing } from "../../adapters/tracing/keel-tracing.js";
import { TracingBehaviour } from "../../adapters/tracing/tracing-behaviour.js";
import { AuthorizationBehaviour } from "../../application/shared/authorization.js";
import type { Behaviour } from "../../application/shared/behaviour.js";
import { LoggingBehaviour } from "../../application/shared/logging-behaviour.js";
import { MeasuringBehaviour } from "../../application/shared/measuring-behaviour.js";
import { MessageBus } from "../../application/shared/message-bus.js";
import { UnitOfWorkBehaviour } from "../../application/shared/unit-of-work-behaviour.js";
import { Clock } from "../../ports/clock.js";
import { IdGenerator } from "../../ports/id-generator.js";
import { Logger } from "../../ports/logger.js";
import { MessageObserver } from "../../ports/message-observer.js";
import { UnitOfWork } from "../../ports/unit-of-work.js";
import { Tokens } from "../tokens.js";
import { allOf, ifBound } from "./all-of.js";
import type { HandlerRegistration } from "./handler-registration.js";
import type { Module } from "./module.js";

/**
 * Clock, ids and the two buses. The pipelines are listed here, outermost first: adding a behaviour
 * (authorization, tracing) is adding one entry. Tracing (when on) comes first, so the message's span
 * holds everything, then measuring, so a message's time and outcome include everything after it.
 * Behaviours a context or plugin contributes (Tokens.CommandBehaviours) come last: they see only
 * authorized commands, and run inside the unit of work. Query behaviours contributed the same way
 * (Tokens.QueryBehaviours: the query cache) come after authorization too.
 */
export const coreModule: Module = (container) => {
  container.bind(Clock).toResolvedValue(() => new SystemClock());
  container.bind(IdGenerator).toResolvedValue(() => new RandomIdGenerator());

  container
    .bind(Tokens.CommandBus)
    .toResolvedValue(
      (
        observer: MessageObserver,
        logger: Logger,
        unitOfWork: UnitOfWork,
        handlers: HandlerRegistration[] | undefined,
        tracing: KeelTracing | undefined,
        contributed: Behaviour[] | undefined,
      ) =>
        collect(
          new MessageBus([
            ...traced(tracing, "command"),
            new MeasuringBehaviour(observer),
            new LoggingBehaviour(logger),
            new AuthorizationBehaviour(),
            new UnitOfWorkBehaviour(unitOfWork),
            ...(contributed ?? []),
          ]),
          handlers,
        ),
      [
        MessageObserver,
        Logger,
        UnitOfWork,
        allOf(Tokens.CommandHandlers),
        ifBound(Tokens.Tracing),
        allOf(Tokens.CommandBehaviours),
      ],
    );
  container
    .bind(Tokens.QueryBus)
    .toResolvedValue(
      (
        observer: MessageObserver,
        logger: Logger,
        handlers: HandlerRegistration[] | undefined,
        tracing: KeelTracing | undefined,
        contributed: Behaviour[] | undefined,
      ) =>
        collect(
          new MessageBus([
            ...traced(tracing, "query"),
            new MeasuringBehaviour(observer),
            new LoggingBehaviour(logger),
            new AuthorizationBehaviour(),
            ...(contributed ?? []),
          ]),
          handlers,
        ),
      [
        MessageObserver,
        Logger,
        allOf(Tokens.QueryHandlers),
        ifBound(Tokens.Tracing),
        allOf(Tokens.QueryBehaviours),
      ],
    );
};

/** The tracing behaviour, outermost, when tracing is on: the message's span holds all the rest. */
function traced(tracing: KeelTracing | undefined, kind: "command" | "query"): Behaviour[] {
  return tracing === undefined ? [] : [new TracingBehaviour(tracing.tracer, kind)];
}

function collect<T extends MessageBus<never>>(bus: T, handlers: HandlerRegistration[] | undefined): T {
  for (const registration of handlers ?? [])
    registration.registerOn(bus as unknown as Parameters<HandlerRegistration["registerOn"]>[0]);
  return bus;
}

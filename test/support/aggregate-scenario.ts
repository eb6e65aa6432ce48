import * as assert from "uvu/assert";
import type { DomainEvent } from "../../src/domain/shared/domain-event.js";

interface EventSource<TEvent extends DomainEvent> {
  readonly pendingEvents: readonly TEvent[];
  readonly version: number;
}

/**
 * given(past events).when(command on the aggregate).then(new events): `given` folds the history
 * through `fromHistory`, exactly as loading from the log does.
 */
export function scenario<TEvent extends DomainEvent, TAggregate extends EventSource<TEvent>>(
  fromHistory: (events: readonly TEvent[]) => TAggregate,
) {
  return {
    given(history: readonly TEvent[]) {
      return {
        when(act: (aggregate: TAggregate) => void) {
          const run = () => {
            const aggregate = fromHistory(history);
            act(aggregate);
            return aggregate;
          };
          return {
            // biome-ignore lint/suspicious/noThenProperty: the spec reads given/when/then; scenarios are never awaited
            then(expected: readonly Omit<TEvent, "occurredAt" | "aggregateId">[]): TAggregate {
              const aggregate = run();
              const recorded = aggregate.pendingEvents.map(
                ({ occurredAt: _o, aggregateId: _a, ...rest }) => rest,
              );
              assert.equal(recorded, expected);
              return aggregate;
            },
            thenFails(errorType: abstract new (...args: never[]) => Error, code?: string): void {
              try {
                run();
              } catch (error) {
                assert.instance(error, errorType);
                if (code !== undefined) assert.is((error as { code?: string }).code, code);
                return;
              }
              assert.unreachable(`expected ${errorType.name} to be thrown`);
            },
          };
        },
      };
    },
  };
}

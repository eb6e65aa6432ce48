import { DeadLetterNotFound } from "../adapters/messaging/dead-letter-not-found.js";
import { DeadLetters } from "../ports/event-bus.js";
import { CommandFailed, UsageError } from "./command-errors.js";
import type { ConfigStore } from "./config/index.js";
import type { Composition } from "./container.js";
import { withAdapters } from "./with-adapters.js";

export const DEAD_LETTERS_USAGE = "keel dead-letters list [limit] | redrive <id>";

/** Lists the events subscribers gave up on, or delivers one again to its subscription. */
export async function deadLettersCommand(
  store: ConfigStore,
  args: readonly string[],
  print: (line: string) => void,
  composition: Composition = {},
): Promise<void> {
  if (store.get().eventBus.driver === "memory") {
    throw new UsageError("EVENT_BUS__DRIVER=memory keeps its dead letters inside the serving process");
  }
  const [action, argument] = args;
  await withAdapters(
    store,
    async (container) => {
      const deadLetters = container.get<DeadLetters>(DeadLetters);
      if (action === "list") {
        const limit = argument === undefined ? 50 : Number(argument);
        if (!Number.isSafeInteger(limit) || limit < 1)
          throw new UsageError("the limit is a whole number of at least 1");
        const letters = await deadLetters.list(limit);
        if (letters.length === 0) print("no dead letters");
        for (const letter of letters) {
          print(
            `${letter.id}  ${letter.failedAt}  ${letter.subscription}  ${letter.event.type} ${letter.event.id}  ` +
              `after ${letter.deliveries} deliveries: ${letter.reason}`,
          );
        }
      } else if (action === "redrive" && argument !== undefined) {
        try {
          await deadLetters.redrive(argument);
        } catch (error) {
          if (error instanceof DeadLetterNotFound) throw new CommandFailed(error.message);
          throw error;
        }
        print(`re-driven ${argument}`);
      } else {
        throw new UsageError(`usage: ${DEAD_LETTERS_USAGE}`);
      }
    },
    composition,
  );
}

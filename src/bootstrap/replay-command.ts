import { replay } from "../application/messaging/replay.js";
import { EventLog } from "../ports/event-log.js";
import { type ReadModelRebuild, ReadModelRebuilds } from "../ports/read-model-rebuild.js";
import { UnitOfWork } from "../ports/unit-of-work.js";
import { UsageError } from "./command-errors.js";
import type { ConfigStore } from "./config/index.js";
import type { Composition } from "./container.js";
import { withAdapters } from "./with-adapters.js";

export const REPLAY_USAGE = "keel replay <read-model>              rebuild a read model from the event log";

/** `keel replay <name>`: rebuilds into a fresh table with a progress bar, then swaps it in. */
export async function replayCommand(
  store: ConfigStore,
  args: readonly string[],
  print: (line: string) => void,
  progress: (line: string) => void,
  composition: Composition = {},
): Promise<void> {
  if (store.get().persistence.driver === "memory") {
    throw new UsageError("PERSISTENCE__DRIVER=memory keeps nothing between processes to replay");
  }
  await withAdapters(
    store,
    async (container) => {
      const rebuilds = container.getAll<ReadModelRebuild>(ReadModelRebuilds, { optional: true });
      const [name] = args;
      const rebuild = rebuilds.find((r) => r.name === name);
      if (rebuild === undefined) {
        throw new UsageError(
          `usage: ${REPLAY_USAGE}\nread models: ${rebuilds.map((r) => r.name).join(", ")}`,
        );
      }
      const started = performance.now();
      const applied = await replay(
        rebuild,
        container.get<EventLog>(EventLog),
        container.get<UnitOfWork>(UnitOfWork),
        (p) => progress(bar(p.applied, p.total)),
      );
      progress("\n");
      print(
        `rebuilt ${rebuild.name} from ${applied} events in ${Math.round(performance.now() - started)} ms`,
      );
    },
    composition,
  );
}

function bar(done: number, total: number): string {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total} events`;
}

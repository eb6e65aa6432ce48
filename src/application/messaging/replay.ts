import { checkpointOf, type EventLog, LOG_START, type LogCheckpoint } from "../../ports/event-log.js";
import type { ReadModelRebuild } from "../../ports/read-model-rebuild.js";
import type { UnitOfWork } from "../../ports/unit-of-work.js";

export interface ReplayProgress {
  readonly applied: number;
  readonly total: number;
}

const BATCH = 500;
const REPLAY = { correlationId: "replay", principal: "system:replay" };

/**
 * Rebuilds a read model from position zero into a fresh copy, batch by batch (each batch one unit
 * of work), then swaps it in after applying whatever was appended meanwhile. The live model keeps
 * serving until the swap.
 */
export async function replay(
  rebuild: ReadModelRebuild,
  log: EventLog,
  unitOfWork: UnitOfWork,
  onProgress: (progress: ReplayProgress) => void,
): Promise<number> {
  const apply = await rebuild.start();
  let checkpoint: LogCheckpoint = LOG_START;
  let applied = 0;
  const total = (await log.backlog(LOG_START)).events;

  const applyAfter = async (): Promise<number> => {
    const events = await log.readAfter(checkpoint, BATCH);
    for (const event of events) await apply(event);
    const last = events[events.length - 1];
    if (last !== undefined) checkpoint = checkpointOf(last);
    applied += events.length;
    return events.length;
  };

  while ((await unitOfWork.run(REPLAY, applyAfter)) > 0)
    onProgress({ applied, total: Math.max(total, applied) });
  await rebuild.swap(async () => {
    while ((await applyAfter()) > 0) onProgress({ applied, total: Math.max(total, applied) });
  });
  return applied;
}

import type { Kysely } from "kysely";
import { LOG_START, type LogCheckpoint } from "../../../ports/event-log.js";
import type { RelayCheckpoints } from "../../../ports/relay-state.js";
import type { Database } from "./database.js";

export class KyselyRelayCheckpoints implements RelayCheckpoints {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly name = "relay",
  ) {}

  async load(): Promise<LogCheckpoint> {
    const row = await this.db
      .selectFrom("relay_checkpoints")
      .select(["transaction_id", "position"])
      .where("name", "=", this.name)
      .executeTakeFirst();
    return row === undefined
      ? LOG_START
      : { transactionId: String(row.transaction_id), position: Number(row.position) };
  }

  async save(checkpoint: LogCheckpoint): Promise<void> {
    await this.db
      .insertInto("relay_checkpoints")
      .values({ name: this.name, transaction_id: checkpoint.transactionId, position: checkpoint.position })
      .onConflict((oc) =>
        oc.column("name").doUpdateSet({
          transaction_id: checkpoint.transactionId,
          position: checkpoint.position,
          updated_at: new Date(),
        }),
      )
      .execute();
  }
}

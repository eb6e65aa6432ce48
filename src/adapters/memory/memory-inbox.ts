import type { Inbox } from "../../ports/inbox.js";
import type { MemoryDatabase, TableDefinition } from "./memory-database.js";

const inboxTable: TableDefinition<{ readonly subscriber: string; readonly eventId: string }> = {
  name: "inbox",
};

export class MemoryInbox implements Inbox {
  constructor(private readonly db: MemoryDatabase) {}

  /** Staged in the unit of work; a concurrent duplicate fails its commit as a version conflict. */
  async markProcessed(subscriber: string, eventId: string): Promise<boolean> {
    const key = `${subscriber}/${eventId}`;
    if (this.db.read(inboxTable, key) !== undefined) return false;
    this.db.write(inboxTable, key, 0, { version: 1, value: { subscriber, eventId } }, []);
    return true;
  }
}

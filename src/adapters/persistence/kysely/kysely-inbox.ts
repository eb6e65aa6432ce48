import type { Inbox } from "../../../ports/inbox.js";
import type { TransactionScope } from "./transaction-scope.js";

export class KyselyInbox implements Inbox {
  constructor(private readonly scope: TransactionScope) {}

  /** The primary key decides: a second insert of the same (subscriber, event) does nothing. */
  async markProcessed(subscriber: string, eventId: string): Promise<boolean> {
    const result = await this.scope
      .current()
      .trx.insertInto("inbox")
      .values({ subscriber, event_id: eventId })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return result.numInsertedOrUpdatedRows === 1n;
  }
}

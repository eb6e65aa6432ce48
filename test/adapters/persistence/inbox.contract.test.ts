import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { Inbox } from "../../../src/ports/inbox.js";
import { contract } from "../../support/contract.js";
import { rejects } from "../../support/rejects.js";

const meta = { correlationId: "inbox", principal: "system:test" };

await contract("Inbox", (it) => {
  it("an event is new to a subscriber once; another subscriber sees it as new too", async (store) => {
    const inbox = store.container.get<Inbox>(Inbox);
    const eventId = randomUUID();
    const first = await store.unitOfWork.run(meta, () => inbox.markProcessed("projection", eventId));
    const again = await store.unitOfWork.run(meta, () => inbox.markProcessed("projection", eventId));
    const other = await store.unitOfWork.run(meta, () => inbox.markProcessed("mailer", eventId));
    assert.equal([first, again, other], [true, false, true]);
  });

  it("a mark made in a unit of work that fails is rolled back with it, so the redelivery is processed", async (store) => {
    const inbox = store.container.get<Inbox>(Inbox);
    const eventId = randomUUID();
    await rejects(
      () =>
        store.unitOfWork.run(meta, async () => {
          await inbox.markProcessed("projection", eventId);
          throw new Error("the effect failed");
        }),
      Error,
    );
    assert.is(await store.unitOfWork.run(meta, () => inbox.markProcessed("projection", eventId)), true);
  });
});

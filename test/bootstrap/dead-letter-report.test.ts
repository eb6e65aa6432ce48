import * as assert from "uvu/assert";
import { Mailer } from "../../src/ports/mailer.js";
import { eventually } from "../support/eventually.js";
import { startTestServer } from "../support/test-server.js";
import { test } from "../support/uvu.js";

test("given a subscriber that keeps failing, when its event goes to the dead letters, then the worker says so once, at error, naming the subscriber, the event and why", async () => {
  const server = await startTestServer({
    env: { WORKER__IN_PROCESS: "true", EVENT_BUS__MAX_DELIVER: "2", EVENT_BUS__BACKOFF_MS: "10" },
    overrides: (container) => {
      container.rebind(Mailer).toConstantValue({
        send: async () => {
          throw new Error("SMTP 550: mailbox unavailable");
        },
      });
    },
  });
  try {
    // The bootstrap admin's registration is the event: its welcome mail cannot be sent.
    const reports = await eventually(
      "the dead-letter report",
      () => server.log.lines().filter((line) => line.msg?.toString().startsWith("event dead-lettered")),
      (lines) => lines.length > 0,
    );
    assert.is(reports.length, 1);
    assert.is(reports[0]?.level, 50);
    assert.is(reports[0]?.subscription, "user-welcome-mail");
    assert.is(reports[0]?.eventType, "user.registered");
    assert.is(reports[0]?.deliveries, 2);
    assert.match(String(reports[0]?.reason), /mailbox unavailable/);
  } finally {
    await server.stop();
  }
});

test.run();

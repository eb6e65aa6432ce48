import * as assert from "uvu/assert";
import { LogMailer } from "../../../src/adapters/mail/log-mailer.js";
import { test } from "../../support/uvu.js";
import { recordingLogger } from "./recording-logger.js";

test("given the log mailer, when a mail is sent, then one info line carries its recipient, subject and text", async () => {
  const logger = recordingLogger();
  const mail = {
    to: "ada@example.test",
    subject: "Reset your password",
    text: "Open http://localhost/reset?t=1",
  };

  await new LogMailer(logger).send(mail);

  assert.is(logger.entries.length, 1);
  const [entry] = logger.entries;
  assert.is(entry?.level, "info");
  assert.equal(entry?.fields, { mail });
});

test.run();

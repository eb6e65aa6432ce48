import * as assert from "uvu/assert";
import { MailDeliveryFailed } from "../../../src/adapters/mail/mail-delivery-failed.js";
import { RecordingMailer } from "../../../src/adapters/mail/recording-mailer.js";
import { rejects } from "../../support/rejects.js";
import { test } from "../../support/uvu.js";

const mail = (n: number) => ({ to: `user${n}@example.test`, subject: `Mail ${n}`, text: `Body ${n}` });

test("given the recording mailer, when mails are sent, then sent() lists them in order", async () => {
  const mailer = new RecordingMailer();

  await mailer.send(mail(1));
  await mailer.send(mail(2));

  assert.equal(mailer.sent(), [mail(1), mail(2)]);
});

test("given a snapshot taken from sent(), when another mail is sent, then the snapshot is unchanged", async () => {
  const mailer = new RecordingMailer();
  await mailer.send(mail(1));
  const before = mailer.sent();

  await mailer.send(mail(2));

  assert.equal(before, [mail(1)]);
});

test("given failNext with a transient failure, when two mails are sent, then only the first rejects, with that error, and only the second is recorded", async () => {
  const mailer = new RecordingMailer();
  const failure = new MailDeliveryFailed("451 try again later", { transient: true, responseCode: 451 });
  mailer.failNext(failure);

  const error = await rejects(() => mailer.send(mail(1)), MailDeliveryFailed);
  await mailer.send(mail(2));

  assert.is(error, failure);
  assert.equal(mailer.sent(), [mail(2)]);
});

test("given failNext called twice, when three mails are sent, then the first two reject in order and the third is recorded", async () => {
  const mailer = new RecordingMailer();
  mailer.failNext(new MailDeliveryFailed("first", { transient: true }));
  mailer.failNext(new MailDeliveryFailed("second", { transient: false }));

  const first = await rejects(() => mailer.send(mail(1)), MailDeliveryFailed);
  const second = await rejects(() => mailer.send(mail(2)), MailDeliveryFailed);
  await mailer.send(mail(3));

  assert.equal([first.transient, second.transient], [true, false]);
  assert.equal(mailer.sent(), [mail(3)]);
});

test.run();

import * as assert from "uvu/assert";
import { LogMailer } from "../../../src/adapters/mail/log-mailer.js";
import { RecordingMailer } from "../../../src/adapters/mail/recording-mailer.js";
import { SmtpMailer } from "../../../src/adapters/mail/smtp-mailer.js";
import type { Mail, Mailer } from "../../../src/ports/mailer.js";
import { suite } from "../../support/uvu.js";
import { recordingLogger } from "./recording-logger.js";
import { body, header, startSmtpServer } from "./smtp-test-server.js";

/** An adapter under contract, with a way to see what it delivered, read back as port-level mails. */
interface Fixture {
  readonly mailer: Mailer;
  delivered(): Mail[];
  close(): Promise<void>;
}

const FIXTURES: Record<string, () => Promise<Fixture>> = {
  recording: async () => {
    const mailer = new RecordingMailer();
    return { mailer, delivered: () => [...mailer.sent()], close: async () => {} };
  },
  log: async () => {
    const logger = recordingLogger();
    return {
      mailer: new LogMailer(logger),
      delivered: () => logger.entries.map((entry) => entry.fields.mail as Mail),
      close: async () => {},
    };
  },
  smtp: async () => {
    const server = await startSmtpServer();
    const mailer = new SmtpMailer({
      host: "127.0.0.1",
      port: server.port,
      secure: false,
      from: "keel@example.test",
      connectionTimeoutMs: 2_000,
    });
    return {
      mailer,
      delivered: () =>
        server.received.map(({ raw }) => ({
          to: header(raw, "To") ?? "",
          subject: header(raw, "Subject") ?? "",
          text: body(raw),
        })),
      close: async () => {
        await mailer.close();
        await server.close();
      },
    };
  },
};

const mail = (n: number): Mail => ({
  to: `user${n}@example.test`,
  subject: `Order ${n} shipped`,
  text: `Parcel ${n}`,
});

for (const [name, open] of Object.entries(FIXTURES)) {
  const it = suite(`Mailer contract [${name}]`);

  it("given a mail, when it is sent, then exactly that mail is delivered", async () => {
    const fixture = await open();
    try {
      await fixture.mailer.send(mail(1));

      assert.equal(fixture.delivered(), [mail(1)]);
    } finally {
      await fixture.close();
    }
  });

  it("given three mails sent at once, when all have resolved, then each was delivered exactly once", async () => {
    const fixture = await open();
    try {
      await Promise.all([1, 2, 3].map((n) => fixture.mailer.send(mail(n))));

      const bySubject = (a: Mail, b: Mail) => a.subject.localeCompare(b.subject);
      assert.equal(fixture.delivered().sort(bySubject), [mail(1), mail(2), mail(3)]);
    } finally {
      await fixture.close();
    }
  });

  it.run();
}

import type { AddressInfo } from "node:net";
import { createServer, type Server, type Socket } from "node:net";
import * as assert from "uvu/assert";
import { MailDeliveryFailed } from "../../../src/adapters/mail/mail-delivery-failed.js";
import { SmtpMailer, type SmtpMailerOptions } from "../../../src/adapters/mail/smtp-mailer.js";
import { rejects } from "../../support/rejects.js";
import { test } from "../../support/uvu.js";
import { body, header, smtpError, startSmtpServer } from "./smtp-test-server.js";

const FROM = "keel@example.test";
const WELCOME = {
  to: "ada@example.test",
  subject: "Welcome to keel",
  text: "Hello Ada,\r\nyour account is ready.",
};

function mailerOn(port: number, options: Partial<SmtpMailerOptions> = {}): SmtpMailer {
  return new SmtpMailer({
    host: "127.0.0.1",
    port,
    secure: false,
    from: FROM,
    connectionTimeoutMs: 2_000,
    ...options,
  });
}

/** A port nothing listens on: bind an ephemeral one, then release it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test("given a running SMTP server, when a mail is sent, then it arrives with its From, To, Subject and body", async () => {
  const server = await startSmtpServer();
  const mailer = mailerOn(server.port);
  try {
    await mailer.send(WELCOME);

    assert.is(server.received.length, 1);
    const [mail] = server.received;
    assert.equal({ from: mail?.from, to: mail?.to }, { from: FROM, to: [WELCOME.to] });
    const raw = mail?.raw ?? "";
    assert.is(header(raw, "From"), FROM);
    assert.is(header(raw, "To"), WELCOME.to);
    assert.is(header(raw, "Subject"), WELCOME.subject);
    assert.is(body(raw), WELCOME.text);
  } finally {
    await mailer.close();
    await server.close();
  }
});

test("given a server that refuses the recipient with 550, when a mail is sent, then it fails permanently", async () => {
  const server = await startSmtpServer({
    onRcptTo: (_address, _session, callback) => callback(smtpError(550, "No such mailbox")),
  });
  const mailer = mailerOn(server.port);
  try {
    const error = await rejects(() => mailer.send(WELCOME), MailDeliveryFailed);

    assert.is(error.transient, false);
    assert.is(error.responseCode, 550);
    assert.is(server.received.length, 0);
  } finally {
    await mailer.close();
    await server.close();
  }
});

test("given a server that defers the recipient with 451, when a mail is sent, then it fails transiently and the next mail still goes out", async () => {
  let deferrals = 1;
  const server = await startSmtpServer({
    onRcptTo: (_address, _session, callback) =>
      deferrals-- > 0 ? callback(smtpError(451, "Try again later")) : callback(),
  });
  const mailer = mailerOn(server.port);
  try {
    const error = await rejects(() => mailer.send(WELCOME), MailDeliveryFailed);
    assert.is(error.transient, true);
    assert.is(error.responseCode, 451);

    await mailer.send(WELCOME);
    assert.is(server.received.length, 1);
  } finally {
    await mailer.close();
    await server.close();
  }
});

test("given nothing listening on the port, when a mail is sent, then it fails transiently", async () => {
  const mailer = mailerOn(await closedPort());
  try {
    const error = await rejects(() => mailer.send(WELCOME), MailDeliveryFailed);

    assert.is(error.transient, true);
    assert.is(error.responseCode, undefined);
  } finally {
    await mailer.close();
  }
});

test("given a server that accepts the connection but never greets, when a mail is sent, then it times out transiently within connectionTimeoutMs", async () => {
  const sockets: Socket[] = [];
  const silent: Server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const mailer = mailerOn((silent.address() as AddressInfo).port, { connectionTimeoutMs: 200 });
  try {
    const started = Date.now();
    const error = await rejects(() => mailer.send(WELCOME), MailDeliveryFailed);

    assert.is(error.transient, true);
    assert.match(error.message, /ETIMEDOUT/);
    // nodemailer's own greeting timeout is 30 s: failing this fast shows connectionTimeoutMs is applied.
    assert.ok(Date.now() - started < 2_000, "gave up within the configured timeout");
  } finally {
    await mailer.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

test("given a server that requires AUTH, when the right credentials are set, then they are used and the mail arrives", async () => {
  const logins: { username: unknown; password: unknown }[] = [];
  const server = await startSmtpServer({
    onAuth: (auth, _session, callback) => {
      logins.push({ username: auth.username, password: auth.password });
      if (auth.username === "keel" && auth.password === "s3cret") callback(null, { user: auth.username });
      else callback(smtpError(535, "Invalid username or password"));
    },
  });
  const mailer = mailerOn(server.port, { user: "keel", password: "s3cret" });
  try {
    await mailer.send(WELCOME);

    assert.equal(logins, [{ username: "keel", password: "s3cret" }]);
    assert.is(server.received.length, 1);
  } finally {
    await mailer.close();
    await server.close();
  }
});

test("given a server that requires AUTH, when the password is wrong, then sending and the readiness check fail permanently", async () => {
  const server = await startSmtpServer({
    onAuth: (auth, _session, callback) =>
      auth.password === "s3cret"
        ? callback(null, { user: auth.username })
        : callback(smtpError(535, "Invalid username or password")),
  });
  const mailer = mailerOn(server.port, { user: "keel", password: "wrong" });
  try {
    const sending = await rejects(() => mailer.send(WELCOME), MailDeliveryFailed);
    const checking = await rejects(() => mailer.check(), MailDeliveryFailed);

    assert.equal([sending.transient, sending.responseCode], [false, 535]);
    assert.equal([checking.transient, checking.responseCode], [false, 535]);
    assert.is(server.received.length, 0);
  } finally {
    await mailer.close();
    await server.close();
  }
});

test("given a reachable server, the readiness check passes; given none, it fails transiently", async () => {
  const server = await startSmtpServer();
  const up = mailerOn(server.port);
  const down = mailerOn(await closedPort());
  try {
    await up.check();
    const error = await rejects(() => down.check(), MailDeliveryFailed);

    assert.is(error.transient, true);
  } finally {
    await up.close();
    await down.close();
    await server.close();
  }
});

test.run();

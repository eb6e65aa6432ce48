import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: string;
}

export interface TestSmtpServer {
  readonly port: number;
  readonly received: ReceivedMail[];
  close(): Promise<void>;
}

/** An SMTP reply with a chosen code, as smtp-server expects a handler to reject with. */
export function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * A real SMTP server on 127.0.0.1 and an ephemeral port: plain TCP (no STARTTLS, so nodemailer does
 * not try to upgrade), AUTH optional unless `onAuth` is given; keeps every accepted message.
 */
export async function startSmtpServer(
  handlers: Pick<SMTPServerOptions, "onAuth" | "onRcptTo"> = {},
): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ["STARTTLS"],
    authOptional: handlers.onAuth === undefined,
    // AUTH over plain TCP is refused by default; this test server has no TLS to offer.
    allowInsecureAuth: true,
    // close() otherwise waits up to 30 s for a client that has not quit.
    closeTimeout: 500,
    ...handlers,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const envelope = session.envelope;
        received.push({
          from: envelope.mailFrom === false ? "" : envelope.mailFrom.address,
          to: envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The value of one header of a raw message (unfolded), or undefined when absent. */
export function header(raw: string, name: string): string | undefined {
  const head = raw.split("\r\n\r\n")[0] ?? "";
  const unfolded = head.replace(/\r\n[ \t]+/g, " ");
  const line = unfolded.split("\r\n").find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/** The body of a raw message, without the final line break the SMTP DATA framing adds. */
export function body(raw: string): string {
  const start = raw.indexOf("\r\n\r\n");
  return start < 0 ? "" : raw.slice(start + 4).replace(/\r\n$/, "");
}

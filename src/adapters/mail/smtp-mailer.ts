import type { NodemailerError, SMTPPoolOptions, SMTPPoolSentMessageInfo, Transporter } from "nodemailer";
import type { HealthCheck } from "../../ports/health-check.js";
import type { Mail, Mailer } from "../../ports/mailer.js";
import { loadWhenUsed } from "../load-when-used.js";
import { MailDeliveryFailed } from "./mail-delivery-failed.js";

// Only a process that sends mail over SMTP pays for loading nodemailer.
const nodemailer = loadWhenUsed<typeof import("nodemailer")>("nodemailer");

export interface SmtpMailerOptions {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465). When false, nodemailer still upgrades with STARTTLS if offered. */
  readonly secure: boolean;
  readonly user?: string;
  readonly password?: string;
  /** The From header and envelope sender of every mail. */
  readonly from: string;
  /** Bounds both the TCP connect and the wait for the server's greeting. */
  readonly connectionTimeoutMs: number;
  /** Inactivity bound once connected; nodemailer's default of 10 minutes would hold a worker too long. */
  readonly socketTimeoutMs?: number;
}

/**
 * Failures that carry no SMTP reply but will fail again unchanged: the configuration or the mail is
 * wrong, not the network. Every other failure without a reply (refused, reset, timed out, DNS) is
 * treated as transient: the caller's retries are bounded, so a wrong guess costs a few attempts
 * before the dead-letter stream, where a wrong "permanent" would drop a mail a retry could deliver.
 */
const PERMANENT_WITHOUT_REPLY = new Set([
  "EAUTH",
  "ENOAUTH",
  "ECONFIG",
  "EENVELOPE",
  "EMAXRECIPIENTS",
  "EREQUIRETLS",
]);

/**
 * Production mailer over SMTP. It uses nodemailer's pooled transport: a worker sending a burst of
 * mails reuses connections (no TCP, TLS and AUTH handshake per mail) and never opens more than
 * `maxConnections` at once, which is what SMTP relays rate-limit on. The cost is open sockets
 * between mails, which is why `close()` must run at shutdown.
 */
export class SmtpMailer implements Mailer, HealthCheck {
  readonly name = "smtp";
  /** Mail goes out from event subscribers that retry, so an SMTP outage must not take serving replicas out of rotation. */
  readonly required = false;
  private readonly transport: Transporter<SMTPPoolSentMessageInfo, SMTPPoolOptions>;

  constructor(private readonly options: SmtpMailerOptions) {
    this.transport = nodemailer().createTransport({
      pool: true,
      host: options.host,
      port: options.port,
      secure: options.secure,
      auth: options.user === undefined ? undefined : { user: options.user, pass: options.password },
      connectionTimeout: options.connectionTimeoutMs,
      greetingTimeout: options.connectionTimeoutMs,
      socketTimeout: options.socketTimeoutMs ?? 60_000,
    });
  }

  /** Resolves once the server has accepted the message for delivery (the reply to DATA). */
  async send(mail: Mail): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
      });
    } catch (error) {
      throw deliveryFailure(error);
    }
  }

  /** Readiness: connects and authenticates, so wrong credentials show before the first mail fails. */
  async check(): Promise<void> {
    try {
      await this.transport.verify();
    } catch (error) {
      throw deliveryFailure(error);
    }
  }

  /** Idle pooled connections close now; one in the middle of a delivery finishes it first. */
  async close(): Promise<void> {
    this.transport.close();
  }
}

function deliveryFailure(error: unknown): MailDeliveryFailed {
  if (!(error instanceof Error))
    return new MailDeliveryFailed(String(error), { transient: true, cause: error });
  const failure: NodemailerError = error;
  // nodemailer sets `permanent` from the reply class whenever the server replied (5xx but 503 → true).
  const transient =
    failure.permanent === undefined ? !PERMANENT_WITHOUT_REPLY.has(failure.code ?? "") : !failure.permanent;
  const code = failure.code === undefined ? "" : ` (${failure.code})`;
  return new MailDeliveryFailed(`SMTP delivery failed${code}: ${failure.message}`, {
    transient,
    responseCode: failure.responseCode,
    cause: error,
  });
}

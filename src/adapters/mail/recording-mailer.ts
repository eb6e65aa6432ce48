import type { Mail, Mailer } from "../../ports/mailer.js";

/** Keeps every mail in memory instead of sending it, so tests can assert on what would have gone out. */
export class RecordingMailer implements Mailer {
  private readonly mails: Mail[] = [];
  private readonly failures: Error[] = [];

  async send(mail: Mail): Promise<void> {
    const failure = this.failures.shift();
    // A failed send records nothing, as an SMTP server that refused the mail has nothing to deliver.
    if (failure !== undefined) throw failure;
    this.mails.push({ to: mail.to, subject: mail.subject, text: mail.text });
  }

  /** A snapshot: mails sent later do not appear in an array a test already holds. */
  sent(): readonly Mail[] {
    return [...this.mails];
  }

  /**
   * Makes the next `send` reject with `error` (queued: call it twice to fail two sends), to drive a
   * caller's retry or dead-letter path. Pass a `MailDeliveryFailed` to choose transient or permanent.
   */
  failNext(error: Error): void {
    this.failures.push(error);
  }
}

import type { Logger } from "../../ports/logger.js";
import type { Mail, Mailer } from "../../ports/mailer.js";

/**
 * Development mailer: writes each mail to the log instead of sending it, so a developer can follow a
 * link in a welcome or reset mail without an SMTP server. The text is logged in full on purpose, so
 * choosing it in production puts whatever mails carry (reset links, tokens) into the shipped logs.
 */
export class LogMailer implements Mailer {
  constructor(private readonly logger: Logger) {}

  async send(mail: Mail): Promise<void> {
    this.logger.info(
      { mail: { to: mail.to, subject: mail.subject, text: mail.text } },
      "mail not sent (log mailer)",
    );
  }
}

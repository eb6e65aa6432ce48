import { LogMailer } from "../../adapters/mail/log-mailer.js";
import { RecordingMailer } from "../../adapters/mail/recording-mailer.js";
import { SmtpMailer } from "../../adapters/mail/smtp-mailer.js";
import { HealthCheck } from "../../ports/health-check.js";
import { Logger } from "../../ports/logger.js";
import { Mailer } from "../../ports/mailer.js";
import type { Component } from "../lifecycle.js";
import { Tokens } from "../tokens.js";
import type { Module } from "./module.js";

/**
 * MAIL__DRIVER: recording (tests), log (development), smtp (production). The adapter is bound as
 * the mail transport; the Mailer port resolves to it through one more binding, so that decorating
 * the port (tracing) leaves the adapter's own uses (its health check, closing it) untouched.
 */
export const mailModule: Module = (container, config) => {
  container.bind(Mailer).toResolvedValue((transport: Mailer) => transport, [Tokens.MailTransport]);
  if (config.mail.driver === "recording") {
    container.bind(Tokens.MailTransport).toResolvedValue(() => new RecordingMailer());
  } else if (config.mail.driver === "log") {
    container.bind(Tokens.MailTransport).toResolvedValue((logger: Logger) => new LogMailer(logger), [Logger]);
  } else {
    const { host, port, secure, user, password } = config.smtp;
    container.bind(Tokens.MailTransport).toResolvedValue(
      () =>
        new SmtpMailer({
          host,
          port,
          secure,
          ...(user === undefined ? {} : { user }),
          ...(password === undefined ? {} : { password }),
          from: config.mail.from,
          connectionTimeoutMs: 10_000,
        }),
    );
    container.bind(HealthCheck).toService(Tokens.MailTransport);
    container.bind(Tokens.Components).toResolvedValue(
      (mailer: SmtpMailer): Component => ({
        name: "smtp",
        start: async () => {},
        stop: () => mailer.close(),
      }),
      [Tokens.MailTransport],
    );
  }
};

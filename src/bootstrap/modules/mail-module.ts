import { LogMailer } from "../../adapters/mail/log-mailer.js";
import { RecordingMailer } from "../../adapters/mail/recording-mailer.js";
import { SmtpMailer } from "../../adapters/mail/smtp-mailer.js";
import { HealthCheck } from "../../ports/health-check.js";
import { Logger } from "../../ports/logger.js";
import { Mailer } from "../../ports/mailer.js";
import type { Component } from "../lifecycle.js";
import { Tokens } from "../tokens.js";
import type { Module } from "./module.js";

/** MAIL__DRIVER: recording (tests), log (development), smtp (production). */
export const mailModule: Module = (container, config) => {
  if (config.mail.driver === "recording") {
    container.bind(Mailer).toResolvedValue(() => new RecordingMailer());
  } else if (config.mail.driver === "log") {
    container.bind(Mailer).toResolvedValue((logger: Logger) => new LogMailer(logger), [Logger]);
  } else {
    const { host, port, secure, user, password } = config.smtp;
    container.bind(Mailer).toResolvedValue(
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
    container.bind(HealthCheck).toService(Mailer);
    container.bind(Tokens.Components).toResolvedValue(
      (mailer: SmtpMailer): Component => ({
        name: "smtp",
        start: async () => {},
        stop: () => mailer.close(),
      }),
      [Mailer],
    );
  }
};

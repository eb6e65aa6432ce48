import { boolean, emailAddress, integer, nonEmptyString, oneOf, optionalText } from "../codecs.js";
import { setting } from "../define-config.js";

// Mail: how e-mail leaves, and the SMTP server.

export const mailSettings = {
  driver: setting(oneOf(["recording", "log", "smtp"]), {
    default: { development: "log", test: "recording", production: "smtp" },
    live: false,
    description: "How e-mail leaves: kept in memory (tests), written to the log, or sent over SMTP.",
  }),
  from: setting(emailAddress, {
    default: "keel@localhost",
    live: false,
    description: "Sender address of keel's e-mails.",
  }),
};

export const smtpSettings = {
  host: setting(nonEmptyString, { default: "127.0.0.1", live: false, description: "SMTP server host." }),
  port: setting(integer(1, 65535), { default: "587", live: false, description: "SMTP server port." }),
  secure: setting(boolean, {
    default: "false",
    live: false,
    description: "Connect with TLS from the start (port 465); otherwise STARTTLS when offered.",
  }),
  user: setting(optionalText, { default: "", live: false, description: "SMTP user; empty for none." }),
  password: setting(optionalText, {
    default: "",
    live: false,
    secret: true,
    description: "SMTP password; empty for none.",
  }),
};

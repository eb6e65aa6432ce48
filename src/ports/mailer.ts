import { token } from "./token.js";

export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Sends e-mail. Adapters: recording (tests), log (development), SMTP (production). */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}
export const Mailer = token<Mailer>("Mailer");

/**
 * A mail was not delivered. `transient` is the caller's retry decision made for it: true when the
 * same mail may go through later (connection refused, timeout, a 4xx reply), false when retrying
 * would get the same answer (a 5xx reply such as an unknown mailbox, bad credentials), so the
 * message should go to the dead-letter stream instead.
 */
export class MailDeliveryFailed extends Error {
  readonly transient: boolean;
  /** The SMTP reply code, when the failure was a server's reply rather than the network. */
  readonly responseCode: number | undefined;

  constructor(
    message: string,
    details: { readonly transient: boolean; readonly responseCode?: number; readonly cause?: unknown },
  ) {
    super(message, { cause: details.cause });
    this.name = "MailDeliveryFailed";
    this.transient = details.transient;
    this.responseCode = details.responseCode;
  }
}

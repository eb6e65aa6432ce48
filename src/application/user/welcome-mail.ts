import type { UserRegistered } from "../../domain/user/user-events.js";
import type { RecordedEvent } from "../../ports/event-log.js";
import type { Mailer } from "../../ports/mailer.js";
import type { EventHandler } from "../messaging/idempotent-subscriber.js";

/**
 * Greets every new account by e-mail. Like every mail it is at least once: sent before the inbox
 * mark commits, so a crash in between sends it again on redelivery.
 */
export class WelcomeMail implements EventHandler {
  readonly name = "user-welcome-mail";
  readonly eventTypes = ["user.registered"];

  constructor(private readonly mailer: Mailer) {}

  async apply(event: RecordedEvent): Promise<void> {
    const { data } = event as RecordedEvent & UserRegistered;
    await this.mailer.send({
      to: data.email,
      subject: "Welcome to keel",
      text: `Hello ${data.givenName},\n\nyour account ${data.email} is ready. Sign in at any time.\n`,
    });
  }
}

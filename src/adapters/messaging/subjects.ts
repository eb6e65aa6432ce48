/**
 * Subject names on the bus. An event type `<context>.<name>` (e.g. `product.stock_adjusted`) is
 * published on `<prefix>.<context>.<name>`, so the first segment of the type is the context.
 *
 * Re-drives and dead letters live under sibling roots (`<prefix>_redrive.`, `<prefix>_dead.`), not
 * under `<prefix>.`: the events stream must capture every context (`<prefix>.>`) without a list to
 * keep up to date, and JetStream refuses two streams whose subjects overlap, so `<prefix>.dead.>` could
 * not have a stream of its own. Sibling roots also mean no context name is reserved.
 */
export class Subjects {
  constructor(readonly prefix = "keel") {
    if (!TOKEN.test(prefix)) throw new Error(`subject prefix "${prefix}" must match ${TOKEN}`);
  }

  event(type: string): string {
    const tokens = type.split(".");
    if (tokens.length < 2 || !tokens.every((t) => TOKEN.test(t))) {
      throw new Error(`event type "${type}" must be "<context>.<name>" with tokens matching ${TOKEN}`);
    }
    return `${this.prefix}.${type}`;
  }

  /** Where a re-driven event goes: a subject only its original subscription listens to. */
  redrive(subscription: string): string {
    return `${this.prefix}_redrive.${subscriptionToken(subscription)}`;
  }

  dead(subscription: string): string {
    return `${this.prefix}_dead.${subscriptionToken(subscription)}`;
  }

  /** Subjects of the events stream: every event, and every re-drive. */
  get eventStreamSubjects(): string[] {
    return [`${this.prefix}.>`, `${this.prefix}_redrive.>`];
  }

  get deadLetterSubjects(): string {
    return `${this.prefix}_dead.>`;
  }
}

/** A subject token that is also a valid durable consumer name (no dots, wildcards or spaces). */
const TOKEN = /^[A-Za-z0-9_-]+$/;

/** Subscription names become durable names and subject tokens, so they share the token rule. */
export function subscriptionToken(name: string): string {
  if (!TOKEN.test(name)) throw new Error(`subscription name "${name}" must match ${TOKEN}`);
  return name;
}

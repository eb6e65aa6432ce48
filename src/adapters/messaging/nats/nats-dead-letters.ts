import type { DeadLetter, DeadLetters } from "../../../ports/event-bus.js";
import { DeadLetterNotFound } from "../dead-letter-not-found.js";
import { decodeDeadLetter } from "./dead-letter-message.js";
import { eventHeaders } from "./event-message.js";
import type { NatsJetStream } from "./nats-connection.js";

/**
 * Dead letters in `<stream>_dead_letters`, id = stream sequence. Re-driving publishes the event on
 * `<prefix>_redrive.<subscription>`, a subject in the events stream that only that subscription's
 * consumer takes, so other subscribers never see it twice; then it deletes the dead letter.
 */
export class NatsDeadLetters implements DeadLetters {
  constructor(private readonly nats: NatsJetStream) {}

  /** Oldest first; reads by sequence, skipping deleted ones server-side (next by subject). */
  async list(limit: number): Promise<DeadLetter[]> {
    const { jsm, deadLetterStream, subjects } = this.nats;
    const letters: DeadLetter[] = [];
    let seq = 1;
    while (letters.length < limit) {
      const message = await jsm.direct.getMessage(deadLetterStream, {
        seq,
        next_by_subj: subjects.deadLetterSubjects,
      });
      if (message === null) break;
      const letter = decodeDeadLetter(message);
      if (letter !== undefined) letters.push(letter);
      seq = message.seq + 1;
    }
    return letters;
  }

  async redrive(id: string): Promise<void> {
    const { js, jsm, deadLetterStream, subjects, settings } = this.nats;
    const seq = Number(id);
    if (!Number.isSafeInteger(seq) || seq < 1) throw new DeadLetterNotFound(id);
    const message = await jsm.streams.getMessage(deadLetterStream, { seq });
    const letter = message === null ? undefined : decodeDeadLetter(message);
    if (letter === undefined) throw new DeadLetterNotFound(id);
    await js.publish(subjects.redrive(letter.subscription), JSON.stringify(letter.event), {
      // Re-driving the same dead letter twice (a retry after a crash before the delete) delivers once.
      msgID: `redrive:${deadLetterStream}:${seq}`,
      headers: eventHeaders(letter.event),
      expect: { streamName: settings.stream },
    });
    await jsm.streams.deleteMessage(deadLetterStream, seq, false);
  }
}

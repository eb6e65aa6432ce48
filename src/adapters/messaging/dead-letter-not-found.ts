/** Re-driving an id that is not (or no longer) a dead letter: already re-driven, or never was. */
export class DeadLetterNotFound extends Error {
  constructor(readonly id: string) {
    super(`no dead letter with id "${id}"`);
    this.name = "DeadLetterNotFound";
  }
}

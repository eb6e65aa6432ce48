/**
 * An expected "no" from the application (not found, not allowed, wrong credentials): logged as a
 * refusal, not as a failure, and mapped by each driving adapter to its own answer.
 */
export abstract class Refusal extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The thing asked for does not exist (or the principal may not know that it does). */
export class NotFound extends Error {
  readonly code = "NOT_FOUND";

  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${id} was not found`);
    this.name = "NotFound";
  }
}

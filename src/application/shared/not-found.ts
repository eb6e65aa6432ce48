/** The thing asked for does not exist (or the principal may not know that it does). */
import { Refusal } from "./refusal.js";

export class NotFound extends Refusal {
  readonly code = "NOT_FOUND";

  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${id} was not found`);
  }
}

import type { Principal } from "../../application/shared/execution-context.js";
import type { Logger } from "../../ports/logger.js";

/** What the middleware chain leaves on `ctx.state` for the stages after it. */
export interface AppState {
  requestId: string;
  logger: Logger;
  apiVersion?: string;
  /** Who is calling, set by the authentication stage (anonymous when no credentials were sent). */
  principal?: Principal;
  /** The error behind a 5xx, left by the error mapper for the request's span. */
  failure?: unknown;
}

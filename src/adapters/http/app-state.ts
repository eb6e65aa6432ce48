import type { Logger } from "../../ports/logger.js";

/** What the middleware chain leaves on `ctx.state` for the stages after it. */
export interface AppState {
  requestId: string;
  logger: Logger;
  apiVersion?: string;
}

import type { Middleware } from "koa";
import type { AppState } from "./app-state.js";

/**
 * The named places in the request pipeline (http-app.ts) where middleware a plugin brings runs, so a
 * plugin adds behaviour to HTTP without editing the stage list:
 * - `request`: every request, health probes and /metrics included, right after the error mapper —
 *   whatever it throws is answered in the envelope — and before the starting gate;
 * - `authenticated`: API requests after authentication and the rate limits (`ctx.state.principal`
 *   is set), the OAuth2 endpoints already answered, before the body is read;
 * - `routes`: just before the routes, with the JSON body parsed.
 */
export const HTTP_STAGES = ["request", "authenticated", "routes"] as const;
export type HttpStage = (typeof HTTP_STAGES)[number];

/** One contributed middleware and the stage it runs at. */
export interface StagedMiddleware {
  readonly stage: HttpStage;
  readonly middleware: Middleware<AppState>;
}

/** The contributed middleware of one stage, in the order contributed. */
export function atStage(contributed: readonly StagedMiddleware[], stage: HttpStage): Middleware<AppState>[] {
  return contributed.filter((entry) => entry.stage === stage).map((entry) => entry.middleware);
}

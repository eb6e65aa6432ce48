import type { LiveConfig } from "../../ports/live-config.js";
import type { RolePermissions } from "../shared/permissions.js";

export interface SessionSettings {
  /** How long a refresh token lives from its issue, in seconds. */
  readonly refreshTokenTtlS: number;
}

/** Role to permissions, from config; a reload changes what every principal may do at once. */
export type RolePolicy = LiveConfig<RolePermissions>;

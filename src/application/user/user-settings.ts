import type { LiveConfig } from "../../ports/live-config.js";

/** The account rules that come from config (and may change on reload). */
export interface AccountSettings {
  readonly passwordMinLength: number;
  /** Roles a self-registered account starts with. */
  readonly defaultRoles: readonly string[];
}

export type AccountRules = LiveConfig<AccountSettings>;

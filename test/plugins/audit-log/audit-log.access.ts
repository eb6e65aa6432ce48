import { AUDIT_READ } from "../../../plugins/audit-log/application/audit-permissions.js";
import { type AccessRules, permission } from "../../support/access-rules.js";

/** The audit-log plugin's route in the authorization matrix (which runs with the plugin enabled). */
export const access: AccessRules = {
  rules: {
    "GET /audit": { access: permission(AUDIT_READ), sample: () => ({}) },
  },
};

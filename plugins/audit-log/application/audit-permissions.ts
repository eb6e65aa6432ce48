/** Read the audit log: who did what, when. */
export const AUDIT_READ = "audit:read";

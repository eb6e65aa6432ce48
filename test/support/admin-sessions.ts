/**
 * The bootstrap admin's tokens per server URL, signed in once per server. A port is reused by a
 * later server in the same run, so a server forgets its entry when it stops: another server's token
 * would name an account this one never had.
 */
export const adminSessions = new Map<string, Promise<unknown>>();

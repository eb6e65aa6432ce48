import { Refusal } from "../shared/refusal.js";

/**
 * The username or password is wrong, or the account cannot sign in. One error for all of these, so
 * a caller cannot tell an unknown address from a wrong password (OAuth2: invalid_grant).
 */
export class InvalidCredentials extends Refusal {
  readonly code = "INVALID_CREDENTIALS";

  constructor() {
    super("the username or password is not correct");
  }
}

/** The refresh token is unknown, expired, revoked or already used (OAuth2: invalid_grant). */
export class RefreshTokenRejected extends Refusal {
  readonly code = "REFRESH_TOKEN_REJECTED";

  constructor(readonly reason: "unknown" | "expired" | "revoked" | "reused" | "account") {
    super("the refresh token is not valid");
  }
}

/** The client asked for a scope the account does not hold (OAuth2: invalid_scope). */
export class ScopeNotGranted extends Refusal {
  readonly code = "SCOPE_NOT_GRANTED";

  constructor(readonly scopes: readonly string[]) {
    super(`the account does not hold ${scopes.join(", ")}`);
  }
}

import { DomainError } from "../shared/domain-error.js";

export class EmailAlreadyRegistered extends DomainError {
  readonly code = "EMAIL_ALREADY_REGISTERED";
  override readonly kind = "conflict";

  constructor(readonly email: string) {
    super(`an account with ${email} already exists`);
  }
}

/** A deactivated account is kept for its history but changes no more. */
export class UserIsDeactivated extends DomainError {
  readonly code = "USER_DEACTIVATED";
  override readonly kind = "conflict";

  constructor(readonly userId: string) {
    super(`user ${userId} is deactivated`);
  }
}

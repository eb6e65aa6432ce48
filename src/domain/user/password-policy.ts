import { InvalidValue } from "../shared/domain-error.js";
import { storableText } from "../shared/storable-text.js";

export interface PasswordPolicy {
  readonly minLength: number;
}

/**
 * Hashing cost grows with length, so an unbounded password is a denial-of-service lever; 256
 * characters is far beyond any passphrase.
 */
const MAX_LENGTH = 256;

/**
 * NIST SP 800-63B: length matters, composition rules do not; refuse the obvious (the address itself).
 * Length counts characters as people see them, so "ü" is one.
 */
export function checkPassword(field: string, plain: string, email: string, policy: PasswordPolicy): void {
  // Hashed as UTF-8, a lone surrogate becomes U+FFFD: two different passwords would verify alike.
  storableText(field, plain);
  const length = [...plain].length;
  if (length < policy.minLength) {
    throw new InvalidValue(field, `${field} must be at least ${policy.minLength} characters long`);
  }
  if (length > MAX_LENGTH)
    throw new InvalidValue(field, `${field} must be at most ${MAX_LENGTH} characters long`);
  if (plain.trim().toLowerCase() === email.trim().toLowerCase()) {
    throw new InvalidValue(field, `${field} must not be the e-mail address`);
  }
}

import { randomUUID, webcrypto } from "node:crypto";
import {
  errors,
  type JWTHeaderParameters,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
  type KeyInput,
  SignJWT,
} from "jose";
import {
  type AccessTokenClaims,
  type AccessTokens,
  InvalidAccessToken,
  type IssuedToken,
  type PublicKeySet,
  type VerifiedAccessToken,
} from "../../ports/access-tokens.js";
import { type JwtKeyOptions, type JwtKeys, loadJwtKeys } from "./jwt-keys.js";

export interface JoseAccessTokensOptions extends JwtKeyOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
  /** Allowed clock skew between the issuing and the verifying machine, for `exp` and `nbf`. */
  readonly clockToleranceSeconds: number;
  readonly now: () => Date;
}

/** RFC 9068: marks the JWT as an access token, so an ID token or another JWT signed with the same key is refused. */
const TOKEN_TYPE = "at+jwt";
const REQUIRED_CLAIMS = ["sub", "jti", "iat", "exp"];
/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Access tokens as JWTs signed with one pinned algorithm. Asymmetric keys carry a `kid`, and a token is
 * verified only with the listed key of that id, so keys rotate by listing the new and the old one until
 * the old one's tokens have expired.
 */
export class JoseAccessTokens implements AccessTokens {
  private readonly options: JoseAccessTokensOptions;
  private readonly keys: JwtKeys;
  /**
   * The HS256 secret imported once as a WebCrypto key: handed the raw bytes, jose imports them again
   * on every sign and verify (about a quarter of an authenticated read's CPU in a profile). Keys
   * change only with a restart, so once is enough.
   */
  private hmacKey: Promise<webcrypto.CryptoKey> | undefined;

  constructor(options: JoseAccessTokensOptions) {
    if (options.issuer === "" || options.audience === "") {
      throw new Error("Access tokens need a non-empty issuer and audience");
    }
    if (!Number.isSafeInteger(options.ttlSeconds) || options.ttlSeconds <= 0) {
      throw new Error("The access-token lifetime must be a positive whole number of seconds");
    }
    if (!Number.isFinite(options.clockToleranceSeconds) || options.clockToleranceSeconds < 0) {
      throw new Error("The access-token clock tolerance must be zero or more seconds");
    }
    this.options = options;
    this.keys = loadJwtKeys(options);
  }

  async issue(claims: AccessTokenClaims): Promise<IssuedToken> {
    if (claims.subject === "") throw new TypeError("An access token needs a subject");
    const invalidScope = claims.scopes.find((scope) => !SCOPE_TOKEN.test(scope));
    if (invalidScope !== undefined) throw new TypeError(`Invalid scope ${JSON.stringify(invalidScope)}`);

    const { algorithm, issuer, audience, ttlSeconds } = this.options;
    const tokenId = randomUUID();
    const issuedAt = Math.floor(this.options.now().getTime() / 1000);
    const header: JWTHeaderParameters = { alg: algorithm, typ: TOKEN_TYPE };
    let key: KeyInput;
    if (this.keys.kind === "secret") {
      key = await this.hmac(this.keys.secret);
    } else {
      header.kid = this.keys.signing.kid;
      key = this.keys.signing.key;
    }
    const payload: JWTPayload = { roles: [...claims.roles] };
    if (claims.scopes.length > 0) payload.scope = claims.scopes.join(" ");

    const token = await new SignJWT(payload)
      .setProtectedHeader(header)
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(claims.subject)
      .setJti(tokenId)
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(issuedAt + ttlSeconds)
      .sign(key);
    return { token, expiresIn: ttlSeconds, tokenId };
  }

  async verify(token: string): Promise<VerifiedAccessToken> {
    const { algorithm, issuer, audience, clockToleranceSeconds } = this.options;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.verificationKey(), {
        algorithms: [algorithm],
        issuer,
        audience,
        typ: TOKEN_TYPE,
        requiredClaims: REQUIRED_CLAIMS,
        clockTolerance: clockToleranceSeconds,
        currentDate: this.options.now(),
      }));
    } catch (error) {
      throw rejection(error);
    }
    return readClaims(payload);
  }

  async jwks(): Promise<PublicKeySet | undefined> {
    return this.keys.kind === "secret" ? undefined : { keys: this.keys.jwks };
  }

  private hmac(secret: Uint8Array): Promise<webcrypto.CryptoKey> {
    this.hmacKey ??= webcrypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    return this.hmacKey;
  }

  private async verificationKey(): Promise<KeyInput | JWTVerifyGetKey> {
    const keys = this.keys;
    if (keys.kind === "secret") return this.hmac(keys.secret);
    return (header) => {
      if (header.kid === undefined) throw new InvalidAccessToken("malformed");
      const key = keys.verification.get(header.kid);
      // A kid we do not list is a key we do not trust: the signature cannot be checked.
      if (key === undefined) throw new InvalidAccessToken("signature");
      return key;
    };
  }
}

function readClaims(payload: JWTPayload): VerifiedAccessToken {
  const { sub, jti, exp, roles, scope } = payload;
  if (
    typeof sub !== "string" ||
    sub === "" ||
    typeof jti !== "string" ||
    jti === "" ||
    typeof exp !== "number"
  ) {
    throw new InvalidAccessToken("claims");
  }
  if (roles !== undefined && !isStringArray(roles)) throw new InvalidAccessToken("claims");
  if (scope !== undefined && typeof scope !== "string") throw new InvalidAccessToken("claims");
  return {
    subject: sub,
    roles: roles ?? [],
    scopes: scope === undefined ? [] : scope.split(" ").filter((s) => s !== ""),
    tokenId: jti,
    expiresAt: new Date(exp * 1000),
  };
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/** Maps jose's failures to a reason; anything else is a fault of ours, not of the token, and passes through. */
function rejection(error: unknown): unknown {
  if (error instanceof InvalidAccessToken) return error;
  if (error instanceof errors.JWTExpired) return new InvalidAccessToken("expired", { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "nbf" && error.reason === "check_failed") {
      return new InvalidAccessToken("not-yet-valid", { cause: error });
    }
    if (error.claim === "aud") return new InvalidAccessToken("audience", { cause: error });
    if (error.claim === "iss") return new InvalidAccessToken("issuer", { cause: error });
    return new InvalidAccessToken("claims", { cause: error });
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new InvalidAccessToken("algorithm", { cause: error });
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new InvalidAccessToken("signature", { cause: error });
  }
  // With the algorithm pinned, "not supported" can only be an unknown critical header extension.
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return new InvalidAccessToken("malformed", { cause: error });
  }
  return error;
}

import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";

export type JwtAlgorithm = "HS256" | "EdDSA" | "RS256";

export interface JwtSigningKey {
  readonly kid: string;
  readonly privateJwk: JsonWebKey;
}

export interface JwtVerificationKey {
  readonly kid: string;
  readonly publicJwk: JsonWebKey;
}

export interface JwtKeyOptions {
  readonly algorithm: JwtAlgorithm;
  /** HS256 only: at least 32 bytes (UTF-8), the size of the HMAC-SHA-256 output. */
  readonly secret?: string;
  /** EdDSA and RS256: the key new tokens are signed with. */
  readonly signingKey?: JwtSigningKey;
  /**
   * EdDSA and RS256: every key a token may be signed with — the current one and, during a rotation,
   * the previous ones until the tokens they signed have expired.
   */
  readonly verificationKeys?: readonly JwtVerificationKey[];
}

export type JwtKeys =
  | { readonly kind: "secret"; readonly secret: Uint8Array }
  | {
      readonly kind: "asymmetric";
      readonly signing: { readonly kid: string; readonly key: KeyObject };
      readonly verification: ReadonlyMap<string, KeyObject>;
      /** Public members only, whatever the configured JWKs carried. */
      readonly jwks: readonly Record<string, unknown>[];
    };

const MIN_SECRET_BYTES = 32;
const MIN_RSA_BITS = 2048;

/** Checks the configured key material against the algorithm once, at start-up, so a bad key fails fast. */
export function loadJwtKeys(options: JwtKeyOptions): JwtKeys {
  const { algorithm } = options;
  if (algorithm === "HS256") {
    if (options.signingKey !== undefined || options.verificationKeys !== undefined) {
      throw new Error("HS256 access tokens take a secret, not signingKey or verificationKeys");
    }
    if (options.secret === undefined) throw new Error("HS256 access tokens need a secret");
    const secret = new TextEncoder().encode(options.secret);
    if (secret.byteLength < MIN_SECRET_BYTES) {
      throw new Error(`The HS256 access-token secret must be at least ${MIN_SECRET_BYTES} bytes`);
    }
    return { kind: "secret", secret };
  }

  if (options.secret !== undefined) throw new Error(`${algorithm} access tokens take keys, not a secret`);
  const { signingKey, verificationKeys } = options;
  if (signingKey === undefined) throw new Error(`${algorithm} access tokens need a signingKey`);
  if (verificationKeys === undefined || verificationKeys.length === 0) {
    throw new Error(`${algorithm} access tokens need verificationKeys, including the signing key's`);
  }

  const verification = new Map<string, KeyObject>();
  for (const { kid, publicJwk } of verificationKeys) {
    requireKid(kid);
    if (verification.has(kid)) throw new Error(`Access-token key id "${kid}" is listed twice`);
    verification.set(
      kid,
      checked(
        algorithm,
        kid,
        importKey(kid, () => createPublicKey({ key: publicJwk, format: "jwk" })),
      ),
    );
  }

  requireKid(signingKey.kid);
  const privateKey = checked(
    algorithm,
    signingKey.kid,
    importKey(signingKey.kid, () => createPrivateKey({ key: signingKey.privateJwk, format: "jwk" })),
  );
  const listed = verification.get(signingKey.kid);
  if (listed === undefined || !listed.equals(createPublicKey(privateKey))) {
    throw new Error(`verificationKeys must hold the public key of signing key "${signingKey.kid}"`);
  }

  const jwks = [...verification].map(([kid, key]) => ({
    ...key.export({ format: "jwk" }),
    kid,
    alg: algorithm,
    use: "sig",
  }));
  return { kind: "asymmetric", signing: { kid: signingKey.kid, key: privateKey }, verification, jwks };
}

function requireKid(kid: string): void {
  if (kid.trim() === "") throw new Error("Access-token keys need a non-empty kid");
}

function importKey(kid: string, create: () => KeyObject): KeyObject {
  try {
    return create();
  } catch (cause) {
    throw new Error(`Access-token key "${kid}" is not a valid JWK`, { cause });
  }
}

function checked(algorithm: "EdDSA" | "RS256", kid: string, key: KeyObject): KeyObject {
  const fits =
    algorithm === "EdDSA"
      ? key.asymmetricKeyType === "ed25519"
      : key.asymmetricKeyType === "rsa" && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_RSA_BITS;
  if (!fits) {
    const expected = algorithm === "EdDSA" ? "an Ed25519 key" : `an RSA key of at least ${MIN_RSA_BITS} bits`;
    throw new Error(`Access-token key "${kid}" must be ${expected} for ${algorithm}`);
  }
  return key;
}

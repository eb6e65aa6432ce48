import {
  integer,
  nonEmptyString,
  oneOf,
  optionalEmailAddress,
  optionalJson,
  optionalText,
  roleNames,
  rolePermissions,
} from "../codecs.js";
import { setting } from "../define-config.js";

// Identity: tokens, roles and permissions, password rules and hashing, the bootstrap admin.

/**
 * Development defaults for signing tokens and for the first admin: marked as such in their value, so they
 * are recognisable anywhere, and refused by the production rules in definition.ts.
 */
export const DEVELOPMENT_JWT_SECRET = "development-only-jwt-secret-do-not-use-in-production";
export const DEVELOPMENT_ADMIN_PASSWORD = "development-only-admin-password";

/**
 * The permissions the service's contexts declare, and the role map their default grants make
 * (`admin=product:write user:manage; catalog-manager=product:write`): AUTH__ROLE_PERMISSIONS is
 * checked against the first and defaults to the second.
 */
export interface PermissionDefaults {
  readonly names: readonly string[];
  readonly roleMap: string;
}

export const authSettings = (permissions: PermissionDefaults) => ({
  issuer: setting(nonEmptyString, {
    default: "keel",
    live: false,
    description: "The iss claim of access tokens keel issues and accepts.",
  }),
  audience: setting(nonEmptyString, {
    default: "keel-api",
    live: false,
    description: "The aud claim of access tokens keel issues and accepts.",
  }),
  jwtAlgorithm: setting(oneOf(["HS256", "EdDSA", "RS256"]), {
    default: "HS256",
    live: false,
    description: "Access-token signature: HS256 with AUTH__JWT_SECRET, or EdDSA/RS256 with the key settings.",
  }),
  jwtSecret: setting(optionalText, {
    default: { development: DEVELOPMENT_JWT_SECRET, test: DEVELOPMENT_JWT_SECRET, production: "" },
    live: false,
    secret: true,
    description: "HS256 signing secret, at least 32 bytes; the development default is refused in production.",
  }),
  jwtSigningKey: setting(optionalJson, {
    default: "",
    live: false,
    secret: true,
    description: 'EdDSA/RS256: the private JWK new tokens are signed with, as JSON with a "kid".',
  }),
  jwtVerificationKeys: setting(optionalJson, {
    default: "",
    live: false,
    description:
      "EdDSA/RS256: JSON array of public JWKs (each with kid) accepted, the signing key's included; served as the JWKS.",
  }),
  accessTokenTtlS: setting(integer(60, 86400), {
    default: "900",
    live: false,
    description: "Access-token lifetime, in seconds.",
  }),
  refreshTokenTtlS: setting(integer(300, 31536000), {
    default: "1209600",
    live: false,
    description: "Refresh-token lifetime, in seconds; each use issues a new one with a fresh lifetime.",
  }),
  clockToleranceS: setting(integer(0, 300), {
    default: "30",
    live: false,
    description: "Clock skew tolerated when checking token times, in seconds.",
  }),
  passwordMinLength: setting(integer(8, 128), {
    default: "12",
    live: true,
    description: "Shortest password accepted at registration and on change.",
  }),
  rolePermissions: setting(rolePermissions(permissions.names), {
    default: permissions.roleMap,
    composedDefault: "each context's and enabled plugin's default grants (`keel permissions` lists them)",
    live: true,
    description: "What each role may do: role=permission ...; roles without an entry grant nothing.",
  }),
  defaultRoles: setting(roleNames, {
    default: "",
    live: true,
    description:
      "Roles a self-registered account gets, comma-separated; each must be a role of AUTH__ROLE_PERMISSIONS; empty for none.",
  }),
  bootstrapAdmin: {
    email: setting(optionalEmailAddress, {
      default: { development: "admin@keel.local", test: "admin@keel.local", production: "" },
      live: false,
      description: "Creates this admin at start-up when no account has the address; empty for none.",
    }),
    password: setting(optionalText, {
      default: {
        development: DEVELOPMENT_ADMIN_PASSWORD,
        test: DEVELOPMENT_ADMIN_PASSWORD,
        production: "",
      },
      live: false,
      secret: true,
      description: "Password of the bootstrap admin; the development default is refused in production.",
    }),
  },
});

export const argon2Settings = {
  memoryKib: setting(integer(19456, 4194304), {
    default: "19456",
    live: false,
    description:
      "Argon2id memory per hash, in KiB (OWASP floor: 19456); hashes made otherwise are redone at login.",
  }),
  timeCost: setting(integer(2, 100), {
    default: "2",
    live: false,
    description: "Argon2id iterations (OWASP floor: 2).",
  }),
  parallelism: setting(integer(1, 16), {
    default: "1",
    live: false,
    description: "Argon2id lanes.",
  }),
};

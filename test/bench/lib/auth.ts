/**
 * Signing in to keel (OAuth2, `POST /api/v1/auth/token`), for the scenarios that write: product writes
 * need `product:write`. Every keel target starts with a bench admin (keel.ts sets the bootstrap-admin
 * settings), signs it in once per process, and sends its access token on every write, seeding and load
 * alike. The login scenario measures the same endpoint with accounts of its own.
 */

export const TOKEN_PATH = "/api/v1/auth/token";
export const FORM = { "content-type": "application/x-www-form-urlencoded" } as const;

/**
 * The admin keel creates at start-up in every benchmark. The password is the benchmark's own: the
 * production profile refuses the development default (`development-only-admin-password`).
 */
export const BENCH_ADMIN = {
  email: "bench-admin@keel.bench",
  password: "bench-only admin passphrase, never for production",
} as const;

/**
 * keel settings for the bench admin; an access token outlives the longest run (one sign-in per keel
 * process, and none during the load).
 */
export const BENCH_AUTH_ENV = {
  AUTH__BOOTSTRAP_ADMIN__EMAIL: BENCH_ADMIN.email,
  AUTH__BOOTSTRAP_ADMIN__PASSWORD: BENCH_ADMIN.password,
  AUTH__ACCESS_TOKEN_TTL_S: "3600",
} as const;

/** The permission keel's product writes (create, adjust stock) require. */
const WRITE_PERMISSION = "product:write";

export interface TokenResponse {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly token_type: string;
  readonly scope?: string;
  readonly expires_in?: number;
}

/** The fields of a token answer, or undefined when `body` is not one. */
export function tokenResponse(body: unknown): TokenResponse | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const { access_token, refresh_token, token_type, scope, expires_in } = body as Record<string, unknown>;
  if (typeof access_token !== "string" || typeof refresh_token !== "string" || typeof token_type !== "string")
    return undefined;
  return {
    access_token,
    refresh_token,
    token_type,
    ...(typeof scope === "string" ? { scope } : {}),
    ...(typeof expires_in === "number" ? { expires_in } : {}),
  };
}

/** One call to the token endpoint with a form body; throws unless it answers 200 with a bearer token. */
export async function tokenCall(origin: string, form: string, label: string): Promise<TokenResponse> {
  const response = await fetch(`${origin}${TOKEN_PATH}`, { method: "POST", headers: FORM, body: form });
  const text = await response.text();
  const token = tokenResponse(parseJson(text));
  if (response.status !== 200 || token === undefined || token.token_type !== "bearer")
    throw new Error(`${label}: POST ${TOKEN_PATH} answered ${response.status} ${text}`);
  return token;
}

export function passwordForm(username: string, password: string): string {
  return new URLSearchParams({ grant_type: "password", username, password }).toString();
}

/** The password grant for one account. */
export function passwordGrant(origin: string, username: string, password: string): Promise<TokenResponse> {
  return tokenCall(origin, passwordForm(username, password), `password grant for ${username}`);
}

/**
 * Signs the bench admin in to the keel at `origin`; resolves the `Authorization` header value its
 * writes carry. Fails at once when the token cannot write products, rather than after a run of 403s.
 */
export async function signInBenchAdmin(origin: string): Promise<string> {
  const token = await passwordGrant(origin, BENCH_ADMIN.email, BENCH_ADMIN.password);
  const scopes = (token.scope ?? "").split(" ");
  if (!scopes.includes(WRITE_PERMISSION))
    throw new Error(
      `the bench admin's token lacks ${WRITE_PERMISSION} (scope "${token.scope ?? ""}"): ` +
        "check AUTH__ROLE_PERMISSIONS gives the admin role product:write",
    );
  return `Bearer ${token.access_token}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

import { DEVELOPMENT_ADMIN_PASSWORD } from "../../src/bootstrap/config/definition.js";
import { adminSessions } from "./admin-sessions.js";
import { call, type JsonResponse } from "./test-server.js";

/** The bootstrap admin every development and test server seeds. */
export const ADMIN = { email: "admin@keel.local", password: DEVELOPMENT_ADMIN_PASSWORD } as const;

/** An OAuth2 token endpoint request: a form body, as RFC 6749 requires. */
export function tokenRequest(
  baseUrl: string,
  fields: Record<string, string>,
  version = "v1",
): Promise<JsonResponse> {
  return call(`${baseUrl}/api/${version}/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** Signs in with the password grant; fails the test unless it succeeds. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<TokenPair> {
  const res = await tokenRequest(baseUrl, { grant_type: "password", username: email, password });
  if (res.status !== 200)
    throw new Error(`sign-in as ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { accessToken: res.body.access_token, refreshToken: res.body.refresh_token };
}

export function bearer(accessToken: string): Record<string, string> {
  return { authorization: `Bearer ${accessToken}` };
}

/** Headers that act as the bootstrap admin on the server at `baseUrl` (signed in once per server). */
export async function asAdmin(baseUrl: string): Promise<Record<string, string>> {
  let pair = adminSessions.get(baseUrl) as Promise<TokenPair> | undefined;
  if (pair === undefined) {
    pair = signIn(baseUrl, ADMIN.email, ADMIN.password);
    adminSessions.set(baseUrl, pair);
    pair.catch(() => adminSessions.delete(baseUrl));
  }
  return bearer((await pair).accessToken);
}

/** Registers an account (v1 body) and signs it in. */
export async function registerAndSignIn(
  baseUrl: string,
  email: string,
  password = "a long enough passphrase",
): Promise<TokenPair & { readonly userId: string }> {
  const res = await call(`${baseUrl}/api/v1/users`, {
    method: "POST",
    json: { email, password, given_name: "Test", family_name: "User" },
  });
  if (res.status !== 201)
    throw new Error(`registering ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...(await signIn(baseUrl, email, password)), userId: res.body.data.id };
}

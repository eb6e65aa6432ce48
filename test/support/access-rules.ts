import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { JsonResponse, TestServer } from "./test-server.js";

/**
 * The authorization matrix's rules, one file per context: `test/**\/<context>.access.ts` exports
 * `access: AccessRules`, one rule per `METHOD /path` of its routes (the same for every API version).
 * The matrix finds the files itself, so a new context brings its rules without editing the matrix,
 * and a route without a rule still fails its coverage test.
 */

/**
 * - `public`: anyone, signed in or not.
 * - `permission`: a user or key holding it.
 * - `ownerOr`: the subject account itself, signed in, or a holder of the permission (an API key needs the
 *   permission even on its owner's account).
 * - `ownAccountOr`: `/users/me` routes, about the caller's own account: any signed-in user; an API
 *   key only with the permission (keys never act on ownership alone).
 * - `ownedOr`: a resource the subject owns (an order): the subject, signed in, or a holder of the
 *   permission; another signed-in user is told it does not exist (404), so its id discloses nothing;
 *   an API key without the permission is refused (403) before anything is looked up.
 * - `self`: only the subject account, signed in (never an API key).
 * - `credentialsIgnored`: the OAuth2 endpoints read client credentials of their own and do not
 *   authenticate the caller at all, so every caller, even one sending a bad token, gets the same answer.
 * - `absent`: the path is not served in this configuration (the JWKS under HS256) and answers 404 like
 *   any unknown path; credentials are still checked first, so bad ones get 401.
 */
export type Access =
  | { readonly kind: "public" }
  | { readonly kind: "permission"; readonly permission: string }
  | { readonly kind: "ownerOr"; readonly permission: string }
  | { readonly kind: "ownAccountOr"; readonly permission: string }
  | { readonly kind: "ownedOr"; readonly permission: string }
  | { readonly kind: "self" }
  | { readonly kind: "credentialsIgnored" }
  | { readonly kind: "absent" };

export const PUBLIC: Access = { kind: "public" };
export const SELF: Access = { kind: "self" };
export const permission = (name: string): Access => ({ kind: "permission", permission: name });
export const ownerOr = (name: string): Access => ({ kind: "ownerOr", permission: name });
export const ownAccountOr = (name: string): Access => ({ kind: "ownAccountOr", permission: name });
export const ownedOr = (name: string): Access => ({ kind: "ownedOr", permission: name });

export interface Account {
  readonly id: string;
  readonly email: string;
  readonly token: string;
  password: string;
}

export interface Fixtures {
  readonly server: TestServer;
  /** The account `/users/:id` routes are about: a fresh self-registered user with no roles. */
  readonly subject: Account;
  /** Another fresh self-registered account. */
  readonly other: Account;
  readonly admin: { readonly id: string; readonly headers: Record<string, string> };
  /** What each rules file's `prepare` made (a product reads use...), by the name it gave. */
  readonly prepared: Readonly<Record<string, string>>;
}

export interface Cell {
  readonly fixtures: Fixtures;
  /** The API version the endpoint belongs to; undefined for unversioned ones. */
  readonly version: string | undefined;
}

export interface Sample {
  readonly params?: Readonly<Record<string, string>>;
  readonly json?: unknown;
  readonly form?: Readonly<Record<string, string>>;
  /** Runs after a 2xx answer, to keep the shared fixtures in step with what the request changed. */
  readonly succeeded?: () => void;
}

export interface Rule {
  readonly access: Access;
  readonly sample: (cell: Cell) => Sample | Promise<Sample>;
}

export interface AccessRules {
  /** Makes what the samples share (once, as the admin), returned by name into `fixtures.prepared`. */
  readonly prepare?: (fixtures: Omit<Fixtures, "prepared">) => Promise<Readonly<Record<string, string>>>;
  readonly rules: Readonly<Record<string, Rule>>;
}

let counter = 0;
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

export type Body = Record<string, unknown>;

/** The sample body for the endpoint's API version. */
export function versioned(version: string | undefined, bodies: Readonly<Record<string, () => Body>>): Body {
  const body = version === undefined ? undefined : bodies[version];
  if (body === undefined) throw new Error(`the matrix has no sample body for API version ${version}`);
  return body();
}

export async function expectOk(res: JsonResponse, what: string): Promise<JsonResponse> {
  if (res.status < 200 || res.status >= 300) {
    throw new Error(`fixture: ${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res;
}

export function preparedId(cell: Cell, name: string): string {
  const id = cell.fixtures.prepared[name];
  if (id === undefined) throw new Error(`no rules file prepared "${name}"`);
  return id;
}

const TEST_ROOT = resolve(import.meta.dirname, "..");

/** Every `*.access.ts` under test/, by file, in a stable order. */
export async function loadAccessRules(): Promise<{ readonly file: string; readonly access: AccessRules }[]> {
  const files = (await readdir(TEST_ROOT, { recursive: true }))
    .filter((file) => file.endsWith(".access.ts"))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const module = (await import(pathToFileURL(join(TEST_ROOT, file)).href)) as { access?: AccessRules };
      if (module.access === undefined) throw new Error(`${file} exports no access rules`);
      return { file, access: module.access };
    }),
  );
}

import type { ResourceVersion } from "./route.js";

/**
 * Entity tags for keel's versioned resources (RFC 9110 section 8.8.3) and the two conditional headers
 * that send them back: If-None-Match on reads, If-Match on writes (section 13.1).
 *
 * A tag is `"<API version>:<id>:<version>"`, e.g. `"v2:5f0c…:7"`, and it is a strong validator:
 * - If-Match must use the strong comparison (13.1.1), under which a weak tag matches nothing: weak
 *   tags would make every conditional write fail.
 * - It holds as one: every change to an aggregate raises its version, and what a read returns is
 *   the aggregate's state encoded by one API version's codec. v1 and v2 encode the same state
 *   differently, so the API version is part of the tag.
 * It is readable rather than a digest because a conditional write needs the version back out of it:
 * the handler compares that number with the aggregate it loads, in the transaction that writes.
 * The writes are actions on a product or an account (`PUT /products/:id/name`) with no representation
 * of their own: their If-Match and the ETag they answer with are those of the resource itself, as
 * `GET /products/:id` shows it in the same API version.
 *
 * The one field not drawn from the aggregate is a v2 account's `permissions`, which its roles grant
 * under the live role configuration: reloading AUTH__ROLE_PERMISSIONS changes them without a new tag,
 * until the account itself next changes.
 */
export function entityTag(apiVersion: string, resource: ResourceVersion): string {
  return `"${apiVersion}:${resource.id}:${resource.version}"`;
}

/**
 * Whether If-None-Match names the current representation, so that a GET is answered 304. It uses the
 * weak comparison (13.1.2): `W/"x"` names the same representation as `"x"`. `*` names any current one.
 */
export function notModified(ifNoneMatch: string, current: string): boolean {
  const condition = parseCondition(ifNoneMatch);
  if (condition === undefined) return false;
  if (condition === "*") return true;
  return condition.some((tag) => `"${tag.opaque}"` === current);
}

/**
 * If-Match as the versions it names of resource `id` in this API version: the versions a conditional
 * write expects. Undefined when there is no condition on the version (no header, or `*`). Under the
 * strong comparison, weak tags and tags of other resources or API versions match nothing, so they
 * name no version: a header made only of those gives an empty list, which fails on any state.
 */
export function expectedVersions(ifMatch: string, apiVersion: string, id: string): number[] | undefined {
  const condition = parseCondition(ifMatch);
  if (condition === undefined || condition === "*") return undefined;
  const versions: number[] = [];
  for (const tag of condition) {
    if (tag.weak) continue;
    const named = KEEL_TAG.exec(tag.opaque);
    if (named?.[1] === apiVersion && named[2] === id) versions.push(Number(named[3]));
  }
  return versions;
}

interface ParsedTag {
  readonly weak: boolean;
  readonly opaque: string;
}

const KEEL_TAG = /^([^:]+):(.+):(\d{1,15})$/;
/** `entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE`; list separators and stray text between tags are skipped. */
const TAG = /(W\/)?"([^"]*)"/g;

/** `*`, the tags of a list (none when nothing in the header is a tag), or undefined when absent. */
function parseCondition(header: string): "*" | ParsedTag[] | undefined {
  const value = header.trim();
  if (value === "") return undefined;
  if (value === "*") return "*";
  return [...value.matchAll(TAG)].map((match) => ({ weak: match[1] !== undefined, opaque: match[2] ?? "" }));
}

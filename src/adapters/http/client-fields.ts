import { InvalidValue } from "../../domain/shared/domain-error.js";
import { HttpError } from "./http-error.js";

/** Domain field name to the path the client sent the value at, e.g. `givenName` to `body.name.given`. */
export type ClientFields = Readonly<Record<string, string>>;

/**
 * Runs a route's handler and answers its business refusals in the client's own spelling. The domain
 * names what it refused in its words (`givenName`, `expiresAt`); the client sent `given_name` in v1,
 * `name.given` in v2, `expires_at` everywhere. So the refusal keeps its status (422) and code, and its
 * path becomes the one a 400 from the codecs would carry, part prefix included (`body.given_name`); a
 * message that begins with the domain's name begins with the client's instead. A field the route does
 * not map is left as the domain named it (the bad-input suite checks every route maps its own).
 */
export async function inClientTerms<T>(
  fields: ClientFields | undefined,
  handle: () => Promise<T>,
): Promise<T> {
  try {
    return await handle();
  } catch (error) {
    if (!(error instanceof InvalidValue) || fields === undefined || !Object.hasOwn(fields, error.field))
      throw error;
    const path = fields[error.field] as string;
    const spelled = path.slice(path.indexOf(".") + 1);
    const message = error.message.startsWith(`${error.field} `)
      ? `${spelled}${error.message.slice(error.field.length)}`
      : error.message;
    throw new HttpError(422, error.code, message, [{ path, message }]);
  }
}

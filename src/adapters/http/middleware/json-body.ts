import { bodyParser } from "@koa/bodyparser";
import type { Middleware } from "koa";
import { HttpError } from "../http-error.js";

const WITH_BODY = new Set(["POST", "PUT", "PATCH"]);

/**
 * JSON bodies only, up to a size limit. A body in another media type is refused with 415 before
 * it is read, so it is never silently ignored; a body over the limit gets 413, malformed JSON 400.
 */
export function jsonBody(limitBytes: number): Middleware {
  const parse = bodyParser({
    enableTypes: ["json"],
    extendTypes: { json: ["application/json", "application/*+json"] },
    jsonLimit: limitBytes,
    jsonStrict: true,
    onError: (error) => {
      const status = (error as { status?: number }).status;
      if (status === 413) {
        throw new HttpError(413, "PAYLOAD_TOO_LARGE", `request bodies are limited to ${limitBytes} bytes`);
      }
      throw new HttpError(400, "MALFORMED_JSON", "the request body is not valid JSON");
    },
  });
  return (ctx, next) => {
    // Other methods carry no body keel reads; they skip the check and the parser.
    if (!WITH_BODY.has(ctx.method)) return next();
    const hasBody = ctx.request.length > 0 || ctx.get("Transfer-Encoding") !== "";
    if (hasBody && ctx.is("application/json", "application/*+json") === false) {
      throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "request bodies must be application/json");
    }
    return parse(ctx, next);
  };
}

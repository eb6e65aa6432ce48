import type { Context, Middleware } from "koa";
import { HttpError } from "../http-error.js";

const WITH_BODY = new Set(["POST", "PUT", "PATCH"]);

/** RFC 8259 section 8.1: JSON exchanged between systems is UTF-8; no other charset is read. */
const UTF8 = new Set(["utf-8", "utf8"]);

/**
 * JSON bodies only, up to a size limit, read by keel itself so that every byte is accounted for:
 * - another media type is refused with 415 before the body is read, so it is never silently ignored;
 * - a `charset` other than UTF-8 is 415 too (the body would be misread otherwise);
 * - a body over the limit is 413, and reading stops there;
 * - bytes that are not valid UTF-8 (overlong forms, lone surrogates, truncated sequences) are 400:
 *   a lenient decoder would store U+FFFD in place of what the client sent;
 * - malformed JSON is 400. `__proto__` is valid JSON and stays an ordinary field (JSON.parse makes
 *   it an own property), so strict bodies refuse it by name like any unknown field.
 */
export function jsonBody(limitBytes: number): Middleware {
  return async (ctx, next) => {
    // Other methods carry no body keel reads; they skip the check and the parser.
    if (!WITH_BODY.has(ctx.method)) return next();
    const hasBody = ctx.request.length > 0 || ctx.get("Transfer-Encoding") !== "";
    if (!hasBody) return next();
    if (ctx.is("application/json", "application/*+json") === false) {
      throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "request bodies must be application/json");
    }
    const charset = ctx.request.charset.toLowerCase();
    if (charset !== "" && !UTF8.has(charset)) {
      throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "JSON request bodies must be UTF-8 (charset=utf-8)");
    }
    ctx.request.body = parse(decodeUtf8(await readBody(ctx, limitBytes)));
    return next();
  };
}

async function readBody(ctx: Context, limitBytes: number): Promise<Buffer> {
  const tooLarge = () =>
    new HttpError(413, "PAYLOAD_TOO_LARGE", `request bodies are limited to ${limitBytes} bytes`);
  if (ctx.request.length > limitBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      // Stop reading; the connection closes after the answer rather than draining an unbounded body.
      ctx.set("Connection", "close");
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new HttpError(400, "MALFORMED_JSON", "the request body is not valid UTF-8");
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "MALFORMED_JSON", "the request body is not valid JSON");
  }
}

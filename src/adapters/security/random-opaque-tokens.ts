import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { GeneratedSecret, OpaqueTokens } from "../../ports/opaque-tokens.js";

/**
 * 32 random bytes (256 bits) per secret, base64url; stored as SHA-256. With that much entropy a
 * leaked hash cannot be reversed by guessing, so the slow password hash is not needed here.
 */
export class RandomOpaqueTokens implements OpaqueTokens {
  generate(): GeneratedSecret {
    const secret = randomBytes(32).toString("base64url");
    return { secret, hash: this.hashOf(secret) };
  }

  hashOf(secret: string): string {
    return createHash("sha256").update(secret, "utf8").digest("hex");
  }

  sameHash(a: string, b: string): boolean {
    const left = Buffer.from(a, "utf8");
    const right = Buffer.from(b, "utf8");
    return left.length === right.length && timingSafeEqual(left, right);
  }

  publicId(): string {
    return randomBytes(6).toString("hex");
  }
}

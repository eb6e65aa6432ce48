import { token } from "./token.js";

export interface IdGenerator {
  /** A new UUID. */
  next(): string;
}
export const IdGenerator = token<IdGenerator>("IdGenerator");

export interface IdGenerator {
  /** A new UUID. */
  next(): string;
}
export const IdGenerator = Symbol.for("IdGenerator");

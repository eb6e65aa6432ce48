import type { FieldError } from "./http-error.js";

/** Every response body, success or failure, has this shape. */
export interface Envelope {
  readonly code: string;
  readonly message: string;
  readonly data?: unknown;
  readonly errors?: readonly FieldError[];
  readonly requestId?: string;
}

export function success(message: string, data: unknown): Envelope {
  return { code: "OK", message, data };
}

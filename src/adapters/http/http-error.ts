export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** An error the HTTP layer itself raises (bad input, unknown route, wrong media type, ...). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: readonly FieldError[],
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** One rejected field of an `input_validation_error`, as in FLORA's envelope. */
export interface FieldError {
  field: string;
  message: string;
  /**
   * A machine-readable cause: only the workspace canvas changeset sets it (its SDK docstring says every
   * cause carries a code in `fields`; the spec's `{field, message}` item shape has none elsewhere).
   */
  code?: string;
}

/**
 * Thrown by route handlers to answer with FLORA's error envelope
 * `{ "error": { "code", "message", "fields"? } }`.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    fields?: FieldError[],
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.headers = headers;
  }

  /** The JSON body FLORA sends. */
  toBody(): { error: { code: string; message: string; fields?: FieldError[] } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fields ? { fields: this.fields.map((f) => ({ ...f })) } : {}),
      },
    };
  }

  /** 400 `input_validation_error` with a message built the way FLORA builds it (`field: message; …`). */
  static validation(fields: FieldError[]): ApiError {
    const message = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
    return new ApiError(400, 'input_validation_error', message, fields);
  }

  static notFound(what?: string): ApiError {
    return new ApiError(404, 'not_found', what ? `${what} not found.` : 'Not found.');
  }
}

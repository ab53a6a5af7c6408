import { BRANDS, hasBrand } from './brand.js';
import type { FloraErrorCategory } from './categories.js';
import { redactSecrets, redactUrl } from './redactSecrets.js';

/** One entry of FLORA's `error.fields` array. `code` appears on canvas changeset errors. */
export interface FloraErrorField {
  readonly field: string;
  readonly message: string;
  readonly code?: string;
}

export interface FloraErrorInit {
  readonly code: string;
  readonly message: string;
  readonly category: FloraErrorCategory;
  readonly retryable: boolean;
  readonly hint: string;
  readonly status?: number | undefined;
  readonly fields?: readonly FloraErrorField[] | undefined;
  readonly requestId?: string | undefined;
  readonly requestIds?: readonly string[] | undefined;
  readonly retryAfterMs?: number | undefined;
  /** At most this many attempts make sense for this failure (FLORA: `unknown_error` is worth one retry). */
  readonly maxAttempts?: number | undefined;
  readonly attempts?: number | undefined;
  readonly method?: string | undefined;
  readonly url?: string | URL | undefined;
  readonly workspaceId?: string | undefined;
  readonly time?: Date | undefined;
  readonly cause?: unknown;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Loggers print the cause chain themselves (pino's error serializer appends `cause.message` and
 * `cause.stack`), so a secret in got's error text would bypass `toJSON`. Redact it where it sits: only the
 * `message` and `stack` strings of each error in the chain are touched, and only when they hold a secret.
 */
function scrubCauseChain(cause: unknown): void {
  let current = cause;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const err = current as { message?: unknown; stack?: unknown; cause?: unknown };
    for (const key of ['message', 'stack'] as const) {
      try {
        const value = err[key];
        if (typeof value === 'string') {
          const safe = redactSecrets(value);
          if (safe !== value) err[key] = safe;
        }
      } catch {
        // Frozen or exotic error: leave it; toJSON still redacts its summary.
      }
    }
    try {
      current = err.cause;
    } catch {
      return;
    }
  }
}

/**
 * The base of every error this project throws. Carries FLORA's code and message, the request-ids of
 * every attempt, the classification (`category`, `retryable`) and a one-line recovery `hint`.
 *
 * Never carries a secret: messages are redacted, URLs lose their query string, and the got error kept
 * as `cause` (whose options hold the `Authorization` header) is non-enumerable and summarised, not
 * dumped, by `toJSON()` and `util.inspect`.
 */
export class FloraError extends Error {
  declare readonly [BRANDS.FloraError]: true;
  /** HTTP status of the last attempt; `undefined` when no response arrived (network, timeout, circuit…). */
  readonly status: number | undefined;
  /** FLORA's `error.code`, or this project's own code (`network_error`, `attempt_timeout`, …). */
  readonly code: string;
  readonly category: FloraErrorCategory;
  readonly retryable: boolean;
  /** What to do about it, in one line (FLORA's "Fix"). */
  readonly hint: string;
  readonly fields: readonly FloraErrorField[];
  /** `request-id` of the last attempt that got a response. */
  requestId: string | undefined;
  /** `request-id` of every attempt that got a response, in order. */
  requestIds: readonly string[];
  /** Wait the server asked for (retry-after / retry-after-ms), in ms. */
  retryAfterMs: number | undefined;
  readonly maxAttempts: number | undefined;
  /** Attempts made for the logical call (1 when not retried). */
  attempts: number;
  /** Why the retry policy stopped, when it did (e.g. `retry_budget_exhausted`). */
  giveUpReason: string | undefined;
  readonly method: string | undefined;
  /** Origin and path of the request; never the query string. */
  readonly url: string | undefined;
  workspaceId: string | undefined;
  /** When the failure was observed (UTC). */
  readonly time: Date;

  constructor(init: FloraErrorInit) {
    super(redactSecrets(init.message), init.cause === undefined ? undefined : { cause: init.cause });
    Object.defineProperty(this, BRANDS.FloraError, { value: true });
    if (init.cause !== undefined) {
      scrubCauseChain(init.cause);
      Object.defineProperty(this, 'cause', {
        value: init.cause,
        enumerable: false,
        writable: true,
        configurable: true,
      });
    }
    this.status = init.status;
    // A code can come from FLORA's body: redacting it keeps a hostile body from smuggling a key into logs
    // through the `code` field. Hints come from this package's own tables.
    this.code = redactSecrets(init.code);
    this.category = init.category;
    this.retryable = init.retryable;
    this.hint = init.hint;
    this.fields = (init.fields ?? []).map((f) => ({
      field: redactSecrets(f.field),
      message: redactSecrets(f.message),
      ...(f.code === undefined ? {} : { code: f.code }),
    }));
    this.requestIds = [...(init.requestIds ?? (init.requestId ? [init.requestId] : []))];
    this.requestId = init.requestId ?? this.requestIds.at(-1);
    this.retryAfterMs = init.retryAfterMs;
    this.maxAttempts = init.maxAttempts;
    this.attempts = init.attempts ?? 1;
    this.giveUpReason = undefined;
    this.method = init.method?.toUpperCase();
    this.url = redactUrl(init.url);
    this.workspaceId = init.workspaceId;
    this.time = init.time !== undefined && Number.isFinite(init.time.getTime()) ? init.time : new Date();
  }

  /** A plain, secret-free view: what `JSON.stringify(error)` prints. */
  toJSON(): Record<string, unknown> {
    const cause = this.cause as { name?: unknown; code?: unknown; message?: unknown } | undefined;
    // The mutable fields (set by plugins after construction) are redacted on the way out.
    const safe = (v: unknown): string | undefined => (typeof v === 'string' ? redactSecrets(v) : undefined);
    return {
      name: this.name,
      code: this.code,
      message: redactSecrets(this.message),
      status: this.status,
      category: this.category,
      retryable: this.retryable,
      hint: this.hint,
      fields: this.fields,
      requestId: safe(this.requestId),
      requestIds: Array.isArray(this.requestIds)
        ? this.requestIds.map((id) => redactSecrets(String(id)))
        : [],
      retryAfterMs: this.retryAfterMs,
      maxAttempts: this.maxAttempts,
      attempts: this.attempts,
      giveUpReason: safe(this.giveUpReason),
      method: this.method,
      url: this.url,
      workspaceId: safe(this.workspaceId),
      time: Number.isFinite(this.time.getTime()) ? this.time.toISOString() : undefined,
      ...(cause && typeof cause === 'object'
        ? {
            cause: {
              name: safe(cause.name),
              code: safe(cause.code),
              message: safe(cause.message),
            },
          }
        : {}),
    };
  }

  /** `util.inspect` / `console.log` show the safe view plus the stack, never the got options. */
  [INSPECT](): string {
    const json = this.toJSON();
    const stack = redactSecrets(this.stack ?? `${this.name}: ${this.message}`);
    return `${stack} ${JSON.stringify(json, null, 2)}`;
  }
}

Object.defineProperty(FloraError.prototype, 'name', {
  value: 'FloraError',
  writable: true,
  configurable: true,
});

export function isFloraError(value: unknown): value is FloraError {
  return hasBrand(value, BRANDS.FloraError);
}

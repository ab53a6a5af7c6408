/** What was stored for a key: the normalised request body and the response to replay. */
export interface IdempotencyRecord {
  at: number;
  fingerprint: string;
  status: number;
  body: unknown;
}

/**
 * Keys with an expiry window on the simulator's clock. Only creates that reached their side effect are
 * stored, so a create that failed before it (an injected 5xx, a reset before) leaves the key free.
 */
export class IdempotencyStore {
  readonly #windowMs: number;
  readonly #records = new Map<string, IdempotencyRecord>();

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  get(scope: string, now: number): IdempotencyRecord | undefined {
    const r = this.#records.get(scope);
    if (r && now - r.at >= this.#windowMs) {
      this.#records.delete(scope);
      return undefined;
    }
    return r;
  }

  set(scope: string, record: IdempotencyRecord): void {
    this.#records.set(scope, record);
  }
}

/** What to send so that every attempt of one logical mutation carries the same idempotency key. */
export interface IdempotencyPlan {
  /** The key, or `undefined` when this request carries none. */
  readonly key: string | undefined;
  /** Value for the `Idempotency-Key` header when it must be set (absent when the caller set it). */
  readonly header: string | undefined;
  /** A copy of the JSON body with `idempotency_key` added, when it must be changed. */
  readonly json: Record<string, unknown> | undefined;
}

const TECHNIQUE_RUNS = /\/techniques\/[^/]+\/runs\/?$/;
const MUTATIONS = new Set(['POST', 'PATCH']);
const NO_KEY: IdempotencyPlan = Object.freeze({ key: undefined, header: undefined, json: undefined });

/** `POST …/techniques/{slug}/runs`: the route whose body takes `idempotency_key`. */
export function isTechniqueRunCreate(method: string, pathname: string): boolean {
  return method.toUpperCase() === 'POST' && TECHNIQUE_RUNS.test(pathname);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * Pure: decides the key of one logical call. A key the caller set wins (per-call `idempotencyKey`, then the
 * `Idempotency-Key` header, then the body's `idempotency_key`); otherwise POST/PATCH get a fresh key from
 * `mint` (when enabled). The header is always sent; the body key only on technique runs with a JSON object
 * body (copied, never mutated).
 */
export function idempotencyPlan(input: {
  readonly method: string;
  readonly pathname: string;
  readonly headerKey: string | undefined;
  readonly json: unknown;
  readonly callKey: string | false | undefined;
  readonly mint: false | (() => string);
}): IdempotencyPlan {
  const method = input.method.toUpperCase();
  // The common case (GET and friends, no key anywhere): one shared answer, no allocation.
  if (
    input.callKey === undefined &&
    input.headerKey === undefined &&
    input.json === undefined &&
    !MUTATIONS.has(method)
  ) {
    return NO_KEY;
  }
  const bodyKey =
    isPlainObject(input.json) &&
    typeof input.json.idempotency_key === 'string' &&
    input.json.idempotency_key !== ''
      ? input.json.idempotency_key
      : undefined;
  if (input.callKey === false) return { key: input.headerKey ?? bodyKey, header: undefined, json: undefined };
  let key = input.callKey ?? input.headerKey ?? bodyKey;
  if (key === undefined) {
    if (!MUTATIONS.has(method) || input.mint === false)
      return { key: undefined, header: undefined, json: undefined };
    key = input.mint();
    if (typeof key !== 'string' || key === '') {
      throw new TypeError(
        `floraRetry: options.idempotencyKey() must return a non-empty string, got ${String(key)}`,
      );
    }
  }
  const header = input.headerKey === key ? undefined : key;
  const json =
    isTechniqueRunCreate(method, input.pathname) && isPlainObject(input.json) && bodyKey === undefined
      ? { ...input.json, idempotency_key: key }
      : undefined;
  return { key, header, json };
}

import { show } from './RetryOptions.js';

/** Per-call settings a caller passes as `got(url, { context: { flora: { … } } })`. */
export interface FloraCallOptions {
  /** Total time for this call (overrides the policy's `deadlineMs`). */
  readonly deadlineMs?: number;
  /** The idempotency key to send on every attempt, or `false` to send none for this call. */
  readonly idempotencyKey?: string | false;
  /** The workspace this call is billed to (cooldown key, event field). */
  readonly workspaceId?: string;
}

const NONE: FloraCallOptions = Object.freeze({});

/**
 * Reads and validates `context.flora`. Unknown keys are left alone (other packages share the object);
 * a known key of the wrong type is a precise `TypeError`/`RangeError`.
 */
export function readCallOptions(context: Record<string, unknown> | undefined): FloraCallOptions {
  const raw = context?.flora;
  if (raw === undefined) return NONE;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TypeError(`context.flora must be an object, got ${show(raw)}`);
  }
  const flora = raw as Record<string, unknown>;
  const out: { deadlineMs?: number; idempotencyKey?: string | false; workspaceId?: string } = {};
  const { deadlineMs, idempotencyKey, workspaceId } = flora;
  if (deadlineMs !== undefined) {
    if (typeof deadlineMs !== 'number' || Number.isNaN(deadlineMs)) {
      throw new TypeError(
        `context.flora.deadlineMs must be a number of milliseconds, got ${show(deadlineMs)}`,
      );
    }
    if (!(deadlineMs > 0) || deadlineMs > 86_400_000) {
      throw new RangeError(`context.flora.deadlineMs must be > 0 and ≤ 86400000, got ${show(deadlineMs)}`);
    }
    out.deadlineMs = deadlineMs;
  }
  if (idempotencyKey !== undefined) {
    if (idempotencyKey !== false && (typeof idempotencyKey !== 'string' || idempotencyKey.trim() === '')) {
      throw new TypeError(
        `context.flora.idempotencyKey must be a non-empty string or false, got ${show(idempotencyKey)}`,
      );
    }
    if (typeof idempotencyKey === 'string' && idempotencyKey.length > 255) {
      throw new RangeError(
        `context.flora.idempotencyKey must be at most 255 characters, got ${idempotencyKey.length}`,
      );
    }
    out.idempotencyKey = idempotencyKey;
  }
  if (workspaceId !== undefined) {
    if (typeof workspaceId !== 'string' || workspaceId.trim() === '') {
      throw new TypeError(`context.flora.workspaceId must be a non-empty string, got ${show(workspaceId)}`);
    }
    out.workspaceId = workspaceId;
  }
  return out;
}

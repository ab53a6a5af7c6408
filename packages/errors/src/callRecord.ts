import { type HeadersLike, readRequestId } from './headerValue.js';

/**
 * Per-call facts shared by the got plugins of this project, kept in got's `options.context` (which
 * travels unchanged through every retry of one call): the request-id of every attempt, and the count of
 * attempts. Public so that every package reads the same record instead of reaching into another's.
 */
export interface FloraCallRecord {
  /** `request-id` of every attempt that got a response, in order. */
  readonly requestIds: string[];
  /** Attempts started so far (1-based count). */
  attempts: number;
  /** When the logical call started (epoch ms). */
  readonly startedAt: number;
  /** The retry policy's latest decision to try again, written when it decides (before the wait). */
  lastRetry?: { readonly attempt: number; readonly delayMs: number; readonly reason: string } | undefined;
  /** Why the retry policy stopped, when it did. */
  giveUpReason?: string | undefined;
  /** The workspace the call is billed to, when a plugin knows it. */
  workspaceId?: string | undefined;
}

export const CALL_RECORD_KEY = '@flora-resilience/call';

type Context = Record<string, unknown>;

/** The record of the call `context` belongs to, created on first use. */
export function getCallRecord(context: Context, now: number = Date.now()): FloraCallRecord {
  const existing = context[CALL_RECORD_KEY] as FloraCallRecord | undefined;
  if (existing && Array.isArray(existing.requestIds)) return existing;
  const record: FloraCallRecord = { requestIds: [], attempts: 0, startedAt: now };
  context[CALL_RECORD_KEY] = record;
  return record;
}

/** Starts a fresh record (one per logical call: called from a got handler). */
export function resetCallRecord(context: Context, now: number = Date.now()): FloraCallRecord {
  const record: FloraCallRecord = { requestIds: [], attempts: 0, startedAt: now };
  context[CALL_RECORD_KEY] = record;
  return record;
}

/**
 * Records the `request-id` of an attempt's response. Idempotent: request-ids are unique per response,
 * so a second plugin reporting the same response adds nothing.
 */
export function recordResponse(context: Context, headers: HeadersLike | undefined): string | undefined {
  const record = getCallRecord(context);
  const id = readRequestId(headers);
  if (id !== undefined && record.requestIds.at(-1) !== id) record.requestIds.push(id);
  return id;
}

/** Records that attempt `retryCount + 1` started. Idempotent for the same attempt. */
export function recordAttempt(context: Context, retryCount: number): number {
  const record = getCallRecord(context);
  record.attempts = Math.max(record.attempts, retryCount + 1);
  return record.attempts;
}

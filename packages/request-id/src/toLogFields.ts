import { floraOperation } from '@flora-resilience/errors';
import { redactForLog } from './redactForLog.js';

/** Which line: a failed attempt that will be retried, a call that failed for good, a call that succeeded. */
export type LogLineKind = 'retry' | 'failure' | 'success';

/** Every {@link LogLineKind}. */
export const LOG_LINE_KINDS: readonly LogLineKind[] = ['retry', 'failure', 'success'];

/** The `msg` of each line: short and stable, so log queries can match them. */
export const LOG_MESSAGES = {
  retry: 'FLORA call failed, retrying',
  failure: 'FLORA call failed',
  success: 'FLORA call succeeded',
} as const satisfies Record<LogLineKind, string>;

/** What a line is built from. Every field but `kind` and `attempt` may be unknown. */
export interface LogLineInput {
  readonly kind: LogLineKind;
  readonly requestId?: string | undefined;
  readonly requestIds?: readonly string[] | undefined;
  readonly method?: string | undefined;
  /** Used to derive `operation` (a route template) when `operation` is not given. Never logged itself. */
  readonly url?: string | URL | undefined;
  readonly operation?: string | undefined;
  readonly status?: number | undefined;
  readonly code?: string | undefined;
  readonly message?: string | undefined;
  readonly attempt: number;
  readonly delayMs?: number | undefined;
  readonly durationMs?: number | undefined;
  readonly workspaceId?: string | undefined;
  readonly category?: string | undefined;
  readonly retryable?: boolean | undefined;
  readonly giveUpReason?: string | undefined;
}

/**
 * The structured fields of one line, in this order. Fields whose value is unknown are left out (pino
 * drops `undefined` anyway); `requestIds` is always there (possibly empty).
 */
export interface RequestIdLogFields {
  /** `request-id` of this attempt (retry lines) or of the last attempt that got a response (call lines). */
  requestId?: string;
  /** `request-id` of every attempt that got a response so far, in order. */
  requestIds: string[];
  method?: string;
  /** `METHOD /route/template` from `floraOperation` (ids become `:id`, no query string). */
  operation?: string;
  status?: number;
  code?: string;
  message?: string;
  /** Retry lines: the attempt that failed (1-based). Call lines: attempts made in all. */
  attempt: number;
  /** Retry lines: the wait before the next attempt, when known. */
  delayMs?: number;
  /** Retry lines: this attempt's duration. Failure and success lines: the whole call's, waits included. */
  durationMs?: number;
  /** When the line was built, ISO 8601 UTC (the key is configurable). */
  time?: string;
  workspaceId?: string;
  category?: string;
  retryable?: boolean;
  giveUpReason?: string;
}

const MAX_TEXT = 512;

function text(value: unknown, max = MAX_TEXT): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const clean = redactForLog(value);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

function ms(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.round(value)) : undefined;
}

function operationOf(input: LogLineInput): string | undefined {
  if (typeof input.operation === 'string' && input.operation !== '') return text(input.operation, 300);
  if (input.url === undefined) return undefined;
  try {
    return text(floraOperation(input.method, input.url), 300);
  } catch {
    return undefined;
  }
}

/**
 * The fields of one log line. Pure: a function of `(input, now)`. Every string goes through
 * `redactSecrets` (API keys, `Bearer …`/`Basic …` credentials) and is bounded in length; the URL is
 * reduced to a route template; bodies and headers are not part of the input, so they cannot leak.
 *
 * `timeKey` names the timestamp field (`'time'` by default); `false` leaves it out for loggers that
 * stamp their own.
 */
export function toLogFields(
  input: LogLineInput,
  now: number,
  timeKey: string | false = 'time',
): RequestIdLogFields & Record<string, unknown> {
  const out = {} as RequestIdLogFields & Record<string, unknown>;
  const put = (key: string, value: unknown): void => {
    if (value !== undefined) out[key] = value;
  };
  put('requestId', text(input.requestId, 200));
  out.requestIds = (input.requestIds ?? []).map((id) => text(id, 200)).filter((id) => id !== undefined);
  put('method', text(input.method?.toUpperCase(), 16));
  put('operation', operationOf(input));
  put(
    'status',
    typeof input.status === 'number' && Number.isInteger(input.status) ? input.status : undefined,
  );
  put('code', text(input.code, 100));
  put('message', text(input.message));
  out.attempt = Number.isInteger(input.attempt) && input.attempt > 0 ? input.attempt : 1;
  if (input.kind === 'retry') put('delayMs', ms(input.delayMs));
  put('durationMs', ms(input.durationMs));
  if (timeKey !== false) out[timeKey] = new Date(now).toISOString();
  put('workspaceId', text(input.workspaceId, 200));
  if (input.kind !== 'success') {
    put('category', text(input.category, 50));
    put('retryable', typeof input.retryable === 'boolean' ? input.retryable : undefined);
  }
  if (input.kind === 'failure') put('giveUpReason', text(input.giveUpReason, 100));
  return out;
}

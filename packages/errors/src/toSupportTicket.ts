import { type FloraError, isFloraError } from './FloraError.js';
import { isFloraRunFailedError } from './FloraRunFailedError.js';
import { redactSecrets } from './redactSecrets.js';

export interface SupportTicket {
  readonly requestId: string | undefined;
  readonly requestIds: readonly string[];
  readonly runId: string | undefined;
  readonly method: string | undefined;
  readonly endpoint: string | undefined;
  readonly status: number | undefined;
  readonly code: string;
  readonly message: string;
  /** UTC, ISO 8601. */
  readonly timestamp: string;
  readonly workspaceId: string | undefined;
  /** The same bundle as plain text, ready to paste into an email to support@florafauna.ai. */
  readonly text: string;
}

/**
 * The bundle FLORA's Errors page asks for when contacting support: the request-id (or the run id),
 * endpoint and method, code and message, an approximate UTC timestamp, and the workspace id.
 * Secret-free by construction.
 */
export function toSupportTicket(
  error: FloraError,
  options: { readonly workspaceId?: string | undefined } = {},
): SupportTicket {
  if (!isFloraError(error)) {
    throw new TypeError('toSupportTicket: expected a FloraError (use isFloraError() first)');
  }
  const runId = isFloraRunFailedError(error) ? error.runId : undefined;
  const workspaceId = options.workspaceId ?? error.workspaceId;
  const base = {
    requestId: error.requestId,
    requestIds: [...error.requestIds],
    runId,
    method: error.method,
    endpoint: error.url,
    status: error.status,
    code: error.code,
    message: redactSecrets(error.message),
    timestamp: error.time.toISOString(),
    workspaceId,
  };
  const lines = [
    `request-id: ${base.requestId ?? '(none received)'}`,
    ...(base.requestIds.length > 1 ? [`request-ids (every attempt): ${base.requestIds.join(', ')}`] : []),
    ...(runId ? [`run id: ${runId}`] : []),
    `endpoint: ${[base.method, base.endpoint].filter((v) => v !== undefined).join(' ') || '(unknown)'}`,
    `error: ${base.status ?? '-'} ${base.code}: ${base.message}`,
    `time (UTC): ${base.timestamp}`,
    `workspace: ${workspaceId ?? '(unknown)'}`,
  ];
  return { ...base, text: lines.join('\n') };
}

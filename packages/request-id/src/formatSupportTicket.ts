import { type FloraError, isFloraError, toSupportTicket } from '@flora-resilience/errors';
import { redactForLog } from './redactForLog.js';

export interface FormatSupportTicketOptions {
  /** The workspace the call was billed to, when the error does not carry it. */
  readonly workspaceId?: string | undefined;
}

/** Quotes a value for a `key="value"` pair: one line, no raw quotes or backslashes inside. */
function quote(value: string): string {
  const oneLine = value.replace(/[\r\n\t]+/g, ' ').replace(/[\\"]/g, (c) => `\\${c}`);
  return `"${oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine}"`;
}

function bare(value: string): string {
  return /^[\x21-\x7e]+$/.test(value) && !/["\\=]/.test(value) ? value : quote(value);
}

/**
 * One line for humans and log lines, built on the errors package's `toSupportTicket`: everything FLORA
 * support asks for (request-id, endpoint and method, code and status, message, UTC time, workspace),
 * plus the earlier attempts' request-ids and the run id when there are any. Secret-free.
 *
 * `FLORA support: request-id=req_… endpoint="POST https://app.flora.ai/api/v1/techniques/x/runs"
 * code=rate_limited status=429 message="Rate limit exceeded." time=2026-…Z workspace=ws_…`
 */
export function formatSupportTicket(error: FloraError, options: FormatSupportTicketOptions = {}): string {
  if (!isFloraError(error)) {
    throw new TypeError(
      'formatSupportTicket: expected a FloraError (convert got errors with fromGotError() first)',
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `formatSupportTicket: options must be an object, got ${options === null ? 'null' : typeof options}`,
    );
  }
  const { workspaceId } = options;
  if (workspaceId !== undefined && (typeof workspaceId !== 'string' || workspaceId.trim() === '')) {
    throw new TypeError(
      `formatSupportTicket: options.workspaceId must be a non-empty string, got ${JSON.stringify(workspaceId)}`,
    );
  }
  const ticket = toSupportTicket(error, workspaceId === undefined ? {} : { workspaceId });
  const parts = [`request-id=${ticket.requestId === undefined ? 'none' : bare(ticket.requestId)}`];
  const earlier = ticket.requestIds.filter((id) => id !== ticket.requestId);
  if (earlier.length > 0) parts.push(`earlier-request-ids=${bare(earlier.join(','))}`);
  if (ticket.runId !== undefined) parts.push(`run-id=${bare(ticket.runId)}`);
  parts.push(`endpoint=${quote(`${ticket.method ?? '?'} ${ticket.endpoint ?? '?'}`)}`);
  parts.push(`code=${bare(ticket.code)}`);
  parts.push(`status=${ticket.status ?? 'none'}`);
  parts.push(`message=${quote(ticket.message)}`);
  parts.push(`time=${ticket.timestamp}`);
  parts.push(`workspace=${ticket.workspaceId === undefined ? 'unknown' : bare(ticket.workspaceId)}`);
  return redactForLog(`FLORA support: ${parts.join(' ')}`);
}

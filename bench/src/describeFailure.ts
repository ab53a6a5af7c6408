import { isFloraError } from '@flora-resilience/errors';

/**
 * A short, bounded label for a failed call: the error class plus what a caller could branch on
 * (the preset's FLORA code and give-up reason, got's status, the SDK's status, a network code).
 */
export function describeFailure(error: unknown): string {
  if (isFloraError(error)) {
    return `${error.name} ${error.code}${error.giveUpReason ? ` (${error.giveUpReason})` : ''}`;
  }
  if (typeof error !== 'object' || error === null) return `thrown ${typeof error}`;
  const e = error as {
    name?: unknown;
    code?: unknown;
    status?: unknown;
    response?: { statusCode?: unknown };
    cause?: { code?: unknown };
  };
  const name = (error as object).constructor?.name ?? String(e.name);
  const status = e.response?.statusCode ?? e.status;
  if (typeof status === 'number') return `${name} ${status}`;
  const code = e.code ?? e.cause?.code;
  return typeof code === 'string' ? `${name} ${code}` : name;
}

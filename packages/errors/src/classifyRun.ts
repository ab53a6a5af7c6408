import { FloraRunFailedError } from './FloraRunFailedError.js';
import { looksModerated, type RunRecovery, runRecoveryOf } from './runCodes.js';

const HINTS: Record<RunRecovery, string> = {
  retry_now:
    'A transient execution failure: re-run once with a NEW idempotency key (a re-run bills again; the failed run is generally refunded).',
  retry_later:
    'The provider is under load: re-run later, at lower concurrency, with a NEW idempotency key (a re-run bills again).',
  change_input:
    'The run was refused for its input (moderation, invalid params or URL): change the prompt or inputs; do not re-run as is.',
  not_retryable:
    'Billing, access or cancellation ended the run: fix the account or entitlement; re-running will not help.',
  unknown:
    'The run failed with a code FLORA does not document: inspect error_message; contact support with the run id.',
};

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v.slice(0, 1_000) : undefined;

/**
 * `FloraRunFailedError` for a run object whose `status` is `failed` (or `error`, as canvas nodes say),
 * `undefined` for any other run. Reads `status` only: a failed run also reports `progress: 100` and a
 * `completed_at`. Accepts snake_case and camelCase (`run_id`/`runId`/`id`, `error_code`/`errorCode`,
 * `error_message`/`errorMessage`, and a nested `error: {code, message}`). Never throws.
 */
export function classifyRun(
  run: unknown,
  options: { readonly requestId?: string | undefined } = {},
): FloraRunFailedError | undefined {
  if (typeof run !== 'object' || run === null) return undefined;
  const r = run as Record<string, unknown>;
  const status = typeof r.status === 'string' ? r.status.toLowerCase() : undefined;
  if (status !== 'failed' && status !== 'error') return undefined;
  const nested = typeof r.error === 'object' && r.error !== null ? (r.error as Record<string, unknown>) : {};
  const code = str(r.error_code) ?? str(r.errorCode) ?? str(nested.code);
  const message =
    str(r.error_message) ??
    str(r.errorMessage) ??
    str(r.failure_message) ??
    str(r.failureMessage) ??
    str(nested.message) ??
    str(r.error);
  const runId = str(r.run_id) ?? str(r.runId) ?? str(r.id);
  let recovery = runRecoveryOf(code);
  // The code itself counts only where it is not a known transient/billing code (LLM_REFUSAL,
  // GENERATION_PROMPT_MODERATED, an unknown CONTENT_MODERATED…); a known transient code is judged by its message.
  const moderated = looksModerated(
    recovery === 'change_input' || recovery === 'unknown' ? `${code ?? ''} ${message ?? ''}` : message,
  );
  if (moderated && (recovery === 'retry_now' || recovery === 'retry_later' || recovery === 'unknown'))
    recovery = 'change_input';
  const retryable = recovery === 'retry_now' || recovery === 'retry_later';
  return new FloraRunFailedError({
    code: code ?? 'run_failed',
    message: message ?? `Run ${runId ?? '(unknown id)'} failed${code ? ` with ${code}` : ''}`,
    category: 'run_failed',
    retryable,
    hint: HINTS[recovery],
    recovery,
    moderated,
    runId,
    requestId: options.requestId,
  });
}

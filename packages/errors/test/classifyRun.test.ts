import {
  classifyRun,
  FLORA_ERROR_CATEGORIES,
  isFloraError,
  isFloraRunFailedError,
  KNOWN_RUN_CODES,
  RUN_CODES,
} from '@flora-resilience/errors';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

const failed = (errorCode: string, errorMessage?: string) => ({
  run_id: 'run_abc123',
  status: 'failed',
  progress: 100,
  created_at: 0,
  completed_at: 1,
  error_code: errorCode,
  ...(errorMessage === undefined ? {} : { error_message: errorMessage }),
});

const SAFETY =
  'Your request was rejected by the safety system. If you believe this is an error, contact support. safety_violations=[sexual]';

describe('classifyRun: the three vocabularies (flora-api.md §1.4)', () => {
  const rows: ReadonlyArray<readonly [string, string]> = [
    // A — docs
    ['model_timeout', 'retry_now'],
    ['internal_error', 'retry_now'],
    ['safety_blocked', 'change_input'],
    ['input_unreachable', 'change_input'],
    // B — spec
    ['provider_error', 'retry_later'],
    // C — production
    ['GENERATION_PROVIDER_TIMEOUT', 'retry_now'],
    ['GPU_PROVIDER_ERROR', 'retry_now'],
    ['GENERATION_GENERIC_ERROR', 'retry_now'],
    ['GENERATION_FAILED_TO_START', 'retry_now'],
    ['GENERATION_FAILED_TO_UPLOAD', 'retry_now'],
    ['GENERATION_FAILED_TO_UPDATE', 'retry_now'],
    ['GENERATION_FAILED_TO_GET', 'retry_now'],
    ['SERVER_ERROR', 'retry_now'],
    ['GENERATION_PREGENERATION_FAILED', 'retry_now'],
    ['GENERATION_POSTGENERATION_FAILED', 'retry_now'],
    ['GENERATION_MAP_AFTER_REQUEST_FAILED', 'retry_now'],
    ['GENERATION_DOWNSTREAM_SERVICE_ERROR', 'retry_later'],
    ['GENERATION_QUEUE_TOO_LARGE', 'retry_later'],
    ['GENERATION_QUEUE_NOT_MOVING', 'retry_later'],
    ['GENERATION_CIRCUIT_BREAKER_OPEN', 'retry_later'],
    ['GENERATION_INVALID_PROVIDER_RESPONSE', 'retry_later'],
    ['GENERATION_NO_RESULT', 'retry_later'],
    ['GENERATION_MODAL_POLL_ERROR', 'retry_later'],
    ['AUDIO_GENERATION_ERROR', 'retry_later'],
    ['GENERATION_PROVIDER_FAILED_TO_GET_STATUS', 'retry_later'],
    ['GENERATION_PROMPT_MODERATED', 'change_input'],
    ['LLM_REFUSAL', 'change_input'],
    ['GENERATION_INPUT_VALIDATION', 'change_input'],
    ['GENERATION_INVALID_PARAMS', 'change_input'],
    ['GENERATION_INVALID_URL', 'change_input'],
    ['GENERATION_ENDPOINT_NOT_FOUND', 'change_input'],
    ['GENERATION_MAP_BEFORE_REQUEST_FAILED', 'change_input'],
    ['GENERATION_PROVIDER_NOT_SUPPORTED', 'change_input'],
    ['BILLING_NOT_ENOUGH_CREDITS', 'not_retryable'],
    ['BILLING_CREDITS_LIMIT_EXCEEDED', 'not_retryable'],
    ['BILLING_WOULD_EXCEED_LIMIT', 'not_retryable'],
    ['BILLING_FAILED_TO_RESERVE_CREDITS', 'not_retryable'],
    ['GENERATION_NOT_PAID', 'not_retryable'],
    ['GENERATION_CANCELLED', 'not_retryable'],
    // families
    ['ACCESS_DENIED', 'not_retryable'],
    ['ACCESS_WORKSPACE_SUSPENDED', 'not_retryable'],
    ['FOO_ENTITLEMENT_REQUIRED', 'not_retryable'],
    ['VIDEO_ENTITLEMENT_REQUIRED', 'not_retryable'],
    // unknown
    ['SOMETHING_NEW', 'unknown'],
    ['weird_lowercase', 'unknown'],
  ];

  it.each(rows)('%s → %s', (code, recovery) => {
    const e = classifyRun(failed(code, 'The provider failed to complete the generation.'));
    expect(isFloraRunFailedError(e)).toBe(true);
    if (!e) return;
    expect(e.name).toBe('FloraRunFailedError');
    expect(e.code).toBe(code);
    expect(e.recovery).toBe(recovery);
    expect(e.retryable).toBe(recovery === 'retry_now' || recovery === 'retry_later');
    expect(e.category).toBe('run_failed');
    expect(e.runId).toBe('run_abc123');
    expect(e.status).toBeUndefined();
    expect(e.message).toBe('The provider failed to complete the generation.');
    expect(e.hint.length).toBeGreaterThan(0);
  });

  it('covers every code of RUN_CODES', () => {
    const tested = new Set(rows.map((r) => r[0]));
    for (const code of KNOWN_RUN_CODES) expect(tested).toContain(code);
    expect(Object.keys(RUN_CODES)).toEqual(KNOWN_RUN_CODES);
  });

  it('marks moderation codes as moderated, other change_input codes not', () => {
    expect(classifyRun(failed('safety_blocked'))?.moderated).toBe(true);
    expect(classifyRun(failed('GENERATION_PROMPT_MODERATED'))?.moderated).toBe(true);
    expect(classifyRun(failed('LLM_REFUSAL'))?.moderated).toBe(true);
    expect(
      classifyRun(failed('GENERATION_INVALID_URL', 'fetch failed: connect ECONNREFUSED 10.0.0.1:443'))
        ?.moderated,
    ).toBe(false);
    expect(classifyRun(failed('input_unreachable'))?.moderated).toBe(false);
  });

  it('retry hints say a re-run needs a NEW idempotency key and bills again', () => {
    expect(classifyRun(failed('GPU_PROVIDER_ERROR'))?.hint).toMatch(/NEW idempotency key.*bills again/);
    expect(classifyRun(failed('GENERATION_QUEUE_TOO_LARGE'))?.hint).toMatch(/later.*lower concurrency/);
  });
});

describe('classifyRun: the moderation trap', () => {
  it.each(['GPU_PROVIDER_ERROR', 'GENERATION_NO_RESULT', 'SOMETHING_NEW'])(
    '%s carrying a safety refusal → change_input, not retryable, moderated',
    (code) => {
      const e = classifyRun(failed(code, SAFETY));
      expect([e?.recovery, e?.retryable, e?.moderated]).toEqual(['change_input', false, true]);
      expect(e?.hint).toMatch(/change the prompt/);
    },
  );

  it.each([
    'Content policy violation',
    'The output was flagged by moderation',
    'The model refused to generate this image',
    'Blocked by usage_policy',
    'NSFW content detected',
    'Request blocked by content filter',
  ])('reads %j as a refusal inside GPU_PROVIDER_ERROR', (message) => {
    expect(classifyRun(failed('GPU_PROVIDER_ERROR', message))?.recovery).toBe('change_input');
  });

  it.each([
    'connect ECONNREFUSED 10.0.0.7:8443',
    'Connection refused by upstream GPU host',
    'upstream refused the connection',
    'worker refused to connect to the queue',
    'duplicate key value violates unique constraint "runs_pkey"',
    'CUDA out of memory',
    'The provider failed to complete the generation.',
  ])('does NOT read transient %j as a refusal: GPU_PROVIDER_ERROR stays retry_now', (message) => {
    const e = classifyRun(failed('GPU_PROVIDER_ERROR', message));
    expect([e?.recovery, e?.retryable, e?.moderated]).toEqual(['retry_now', true, false]);
  });

  it('a billing code with policy wording stays not_retryable', () => {
    const e = classifyRun(
      failed('BILLING_CREDITS_LIMIT_EXCEEDED', 'Workspace spending policy limit reached'),
    );
    expect([e?.recovery, e?.retryable]).toEqual(['not_retryable', false]);
  });
});

describe('classifyRun: shapes', () => {
  it.each(['pending', 'running', 'completed', 'queued', undefined, 42])('status %p → undefined', (status) => {
    expect(
      classifyRun({ run_id: 'run_1', status, progress: 50, error_code: 'GPU_PROVIDER_ERROR' }),
    ).toBeUndefined();
  });

  it('a completed run with progress 100 → undefined; a failed run with progress 100 → failure (status only)', () => {
    expect(
      classifyRun({ run_id: 'run_1', status: 'completed', progress: 100, completed_at: 1 }),
    ).toBeUndefined();
    expect(classifyRun({ run_id: 'run_1', status: 'failed', progress: 100 })).toBeDefined();
    expect(classifyRun({ run_id: 'run_1', status: 'failed', progress: 0 })).toBeDefined();
  });

  it('accepts camelCase (runId, errorCode, errorMessage) as in the docs’ example', () => {
    const e = classifyRun({
      runId: 'run_abc',
      status: 'failed',
      errorCode: 'model_timeout',
      errorMessage: 'Underlying model exceeded the 60s budget',
    });
    expect([e?.runId, e?.code, e?.recovery, e?.message]).toEqual([
      'run_abc',
      'model_timeout',
      'retry_now',
      'Underlying model exceeded the 60s budget',
    ]);
  });

  it('accepts `id`, a nested `error`, FAILED in capitals, canvas `error` status and asset failure_message', () => {
    expect(
      classifyRun({ id: 'run_x', status: 'FAILED', error: { code: 'provider_error', message: 'm' } }),
    ).toMatchObject({
      runId: 'run_x',
      code: 'provider_error',
      recovery: 'retry_later',
      message: 'm',
    });
    expect(classifyRun({ status: 'error', error_code: 'GENERATION_INVALID_PARAMS' })?.recovery).toBe(
      'change_input',
    );
    expect(classifyRun({ status: 'failed', failure_message: 'bad upload' })?.message).toBe('bad upload');
    expect(classifyRun({ status: 'failed', error: 'boom' })?.message).toBe('boom');
  });

  it('a failed run with no code and no message still becomes an error with run_failed code and a message', () => {
    const e = classifyRun({ run_id: 'run_q', status: 'failed' });
    expect([e?.code, e?.recovery, e?.retryable, e?.message]).toEqual([
      'run_failed',
      'unknown',
      false,
      'Run run_q failed',
    ]);
  });

  it('carries the requestId passed by the poller', () => {
    expect(classifyRun(failed('GPU_PROVIDER_ERROR'), { requestId: 'req_poll' })?.requestIds).toEqual([
      'req_poll',
    ]);
  });

  it('never puts a key from the run into the error', () => {
    const e = classifyRun(failed('GPU_PROVIDER_ERROR', 'auth failed for Bearer sk_live_LEAKED123'));
    expect(JSON.stringify(e)).not.toContain('LEAKED123');
    expect(e?.message).not.toContain('LEAKED123');
  });

  it('property: never throws on arbitrary input; a failure always has category run_failed', () => {
    const run = fc.oneof(
      fc.anything(),
      fc.record(
        {
          status: fc.oneof(fc.constantFrom('failed', 'FAILED', 'error', 'completed'), fc.anything()),
          run_id: fc.anything(),
          runId: fc.anything(),
          id: fc.anything(),
          error_code: fc.oneof(fc.constantFrom(...KNOWN_RUN_CODES), fc.anything()),
          errorCode: fc.anything(),
          error_message: fc.oneof(fc.constant(SAFETY), fc.string(), fc.anything()),
          error: fc.anything(),
          progress: fc.anything(),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(run, (r) => {
        const e = classifyRun(r);
        if (e !== undefined) {
          expect(isFloraError(e)).toBe(true);
          expect(FLORA_ERROR_CATEGORIES).toContain(e.category);
          expect(e.category).toBe('run_failed');
          expect(typeof e.retryable).toBe('boolean');
          expect(() => JSON.stringify(e)).not.toThrow();
        }
      }),
      { numRuns: 2000 },
    );
  });
});

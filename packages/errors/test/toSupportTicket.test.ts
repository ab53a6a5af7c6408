import { classifyRun, FloraNetworkError, toFloraError, toSupportTicket } from '@flora-resilience/errors';
import { describe, expect, it } from '@jest/globals';

const TIME = Date.UTC(2026, 10, 25, 12, 34, 56, 789);

const apiError = () =>
  toFloraError({
    status: 403,
    headers: { 'request-id': 'req_3' },
    requestIds: ['req_1', 'req_2'],
    body: '{"error":{"code":"forbidden","message":"Forbidden. key sk_live_NOPE"}}',
    method: 'post',
    url: 'https://app.flora.ai/api/v1/projects?workspace_id=ws_9',
    workspaceId: 'ws_from_error',
    now: TIME,
  });

describe('toSupportTicket: the bundle FLORA’s "Contacting support" asks for', () => {
  it('as an object: request-id(s), endpoint and method, code and message, UTC timestamp, workspace', () => {
    const t = toSupportTicket(apiError());
    expect(t).toEqual({
      requestId: 'req_3',
      requestIds: ['req_1', 'req_2', 'req_3'],
      runId: undefined,
      method: 'POST',
      endpoint: 'https://app.flora.ai/api/v1/projects',
      status: 403,
      code: 'forbidden',
      message: 'Forbidden. key sk_live_[REDACTED]',
      timestamp: '2026-11-25T12:34:56.789Z',
      workspaceId: 'ws_from_error',
      text: expect.any(String),
    });
  });

  it('as text, ready to paste', () => {
    expect(toSupportTicket(apiError()).text).toBe(
      [
        'request-id: req_3',
        'request-ids (every attempt): req_1, req_2, req_3',
        'endpoint: POST https://app.flora.ai/api/v1/projects',
        'error: 403 forbidden: Forbidden. key sk_live_[REDACTED]',
        'time (UTC): 2026-11-25T12:34:56.789Z',
        'workspace: ws_from_error',
      ].join('\n'),
    );
  });

  it('the workspaceId option wins over the error’s', () => {
    const t = toSupportTicket(apiError(), { workspaceId: 'ws_option' });
    expect(t.workspaceId).toBe('ws_option');
    expect(t.text).toContain('workspace: ws_option');
  });

  it('carries the run id for a run failure (FLORA: "or the failing run’s runId")', () => {
    const run = classifyRun({
      run_id: 'run_77',
      status: 'failed',
      error_code: 'GPU_PROVIDER_ERROR',
      error_message: 'x',
    });
    if (!run) throw new Error('expected a failure');
    const t = toSupportTicket(run, { workspaceId: 'ws_1' });
    expect(t.runId).toBe('run_77');
    expect(t.text).toContain('run id: run_77');
    expect(t.text).toContain('request-id: (none received)');
    expect(t.text).toContain('endpoint: (unknown)');
    expect(t.text).toContain('error: - GPU_PROVIDER_ERROR: x');
  });

  it('says plainly when nothing is known (a network error with no workspace)', () => {
    const t = toSupportTicket(
      new FloraNetworkError({
        code: 'network_error',
        message: 'No response',
        category: 'network',
        retryable: true,
        hint: 'h',
        method: 'GET',
        url: 'http://h/x',
      }),
    );
    expect(t.text).toContain('request-id: (none received)');
    expect(t.text).toContain('workspace: (unknown)');
    expect(t.text).not.toContain('request-ids');
    expect(t.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('throws a TypeError for anything that is not a FloraError', () => {
    for (const value of [new Error('x'), {}, null, undefined, 'req_1']) {
      expect(() => toSupportTicket(value as never)).toThrow(TypeError);
    }
    expect(() => toSupportTicket(new Error('x') as never)).toThrow(
      'toSupportTicket: expected a FloraError (use isFloraError() first)',
    );
  });
});

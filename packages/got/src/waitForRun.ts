import {
  classifyRun,
  FloraAbortError,
  FloraDeadlineError,
  type FloraError,
  type FloraRunFailedError,
  fromGotError,
  isFloraError,
  readRequestId,
} from '@flora-resilience/errors';
import type { Got } from 'got';
import { type PollScheduleOptions, pollDelay } from './pollSchedule.js';
import { TERMINAL_STATUSES, viewRun } from './runShape.js';
import { sleep } from './sleep.js';

export interface RerunOptions {
  /** How many times a transiently failed run (`retry_now`/`retry_later`) may be started again. Default 1. */
  readonly maxReruns?: number;
  /**
   * Starts the run again and returns the new run (or its id). Called with the failure. Each call must
   * use a NEW idempotency key: the preset mints one per logical call, so calling `client.post(...)`
   * again is enough. A re-run bills again.
   */
  readonly start: (failure: FloraRunFailedError, rerun: number) => Promise<unknown>;
}

export interface WaitForRunOptions extends Partial<PollScheduleOptions> {
  /** Give up after this long in total (polls and waits). Default 15 minutes (heavy runs take 10–15 min). */
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
  /** Technique slug, to poll `techniques/{slug}/runs/{id}` instead of `runs/{id}`. */
  readonly techniqueSlug?: string;
  /** A poll that fails for good (after the client's own retries) is tolerated this many times in a row. Default 3. */
  readonly maxConsecutivePollFailures?: number;
  /** Re-run transiently failed runs. Off by default: a re-run bills again. */
  readonly rerun?: RerunOptions | false;
  /** Called with every run body polled. */
  readonly onPoll?: (run: unknown) => void;
}

const DEFAULTS = {
  minIntervalMs: 2_000,
  maxIntervalMs: 5_000,
  maxFirstWaitMs: 30_000,
  deadlineMs: 15 * 60_000,
  maxConsecutivePollFailures: 3,
};

const KNOWN = new Set([
  'minIntervalMs',
  'maxIntervalMs',
  'maxFirstWaitMs',
  'deadlineMs',
  'signal',
  'techniqueSlug',
  'maxConsecutivePollFailures',
  'rerun',
  'onPoll',
]);

function positive(name: string, value: unknown, fallback: number, { allowZero = false } = {}): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new RangeError(
      `waitForRun: options.${name} must be a ${allowZero ? 'non-negative' : 'positive'} finite number, got ${String(value)}`,
    );
  }
  return value;
}

function resolveOptions(options: WaitForRunOptions) {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('waitForRun: options must be an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new TypeError(`waitForRun: unknown option "${key}"`);
  }
  const minIntervalMs = positive('minIntervalMs', options.minIntervalMs, DEFAULTS.minIntervalMs);
  const maxIntervalMs = positive(
    'maxIntervalMs',
    options.maxIntervalMs,
    Math.max(DEFAULTS.maxIntervalMs, minIntervalMs),
  );
  if (maxIntervalMs < minIntervalMs) {
    throw new RangeError(
      `waitForRun: options.maxIntervalMs (${maxIntervalMs}) must be ≥ options.minIntervalMs (${minIntervalMs})`,
    );
  }
  const rerun = options.rerun === undefined || options.rerun === false ? undefined : options.rerun;
  if (rerun !== undefined && (typeof rerun !== 'object' || typeof rerun.start !== 'function')) {
    throw new TypeError(
      'waitForRun: options.rerun must be false or { start: (failure, n) => Promise<run>, maxReruns? }',
    );
  }
  const maxReruns = rerun ? positive('rerun.maxReruns', rerun.maxReruns, 1, { allowZero: true }) : 0;
  if (!Number.isInteger(maxReruns))
    throw new RangeError(`waitForRun: options.rerun.maxReruns must be an integer, got ${maxReruns}`);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new TypeError('waitForRun: options.signal must be an AbortSignal');
  }
  if (
    options.techniqueSlug !== undefined &&
    !/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(options.techniqueSlug)
  ) {
    throw new TypeError(
      `waitForRun: options.techniqueSlug must be a technique slug, got ${JSON.stringify(options.techniqueSlug)}`,
    );
  }
  if (options.onPoll !== undefined && typeof options.onPoll !== 'function')
    throw new TypeError('waitForRun: options.onPoll must be a function');
  return {
    minIntervalMs,
    maxIntervalMs,
    maxFirstWaitMs: positive(
      'maxFirstWaitMs',
      options.maxFirstWaitMs,
      Math.max(DEFAULTS.maxFirstWaitMs, minIntervalMs),
    ),
    deadlineMs: positive('deadlineMs', options.deadlineMs, DEFAULTS.deadlineMs),
    maxConsecutivePollFailures: positive(
      'maxConsecutivePollFailures',
      options.maxConsecutivePollFailures,
      DEFAULTS.maxConsecutivePollFailures,
      { allowZero: true },
    ),
    rerun,
    maxReruns,
    signal: options.signal,
    techniqueSlug: options.techniqueSlug,
    onPoll: options.onPoll,
  };
}

/** Only follow a server-given `poll_url` to the API's own origin: the client's Authorization header goes with it. */
function sameOrigin(pollUrl: string, client: Got): boolean {
  try {
    const prefix = String(client.defaults.options.prefixUrl ?? '');
    if (prefix === '') return false;
    return new URL(pollUrl).origin === new URL(prefix).origin;
  } catch {
    return false;
  }
}

/**
 * Polls a FLORA run until it is `completed` (resolves with the run) or `failed` (rejects with the
 * errors package's `FloraRunFailedError`). Follows FLORA's advice: key on `status` only, poll every
 * 2–5 s, first poll informed by `estimated_seconds`, use `poll_url` when present (same origin only).
 * Honours a total deadline (`FloraDeadlineError`) and an `AbortSignal` (`FloraAbortError`), clearing
 * its timers. Re-running a transiently failed run is opt-in and bounded.
 */
export async function waitForRun(
  client: Got,
  runOrId: string | object,
  options: WaitForRunOptions = {},
): Promise<Record<string, unknown>> {
  if (typeof client !== 'function' || typeof (client as { get?: unknown }).get !== 'function') {
    throw new TypeError('waitForRun: client must be a got instance');
  }
  const o = resolveOptions(options);
  let run: unknown = typeof runOrId === 'string' ? { run_id: runOrId, status: 'pending' } : runOrId;
  if (viewRun(run).runId === undefined) {
    throw new TypeError('waitForRun: expected a run id (run_…) or a run object with run_id / runId / id');
  }
  const started = Date.now();
  const deadline = started + o.deadlineMs;
  const deadlineController = new AbortController();
  const signal = o.signal
    ? AbortSignal.any([o.signal, deadlineController.signal])
    : deadlineController.signal;
  const deadlineTimer = setTimeout(() => deadlineController.abort(new Error('deadline')), o.deadlineMs);
  deadlineTimer.unref?.();

  const stopError = (): FloraError =>
    o.signal?.aborted
      ? new FloraAbortError({
          code: 'aborted',
          message: 'waitForRun was aborted by the caller',
          category: 'aborted',
          retryable: false,
          hint: 'The caller’s AbortSignal fired.',
        })
      : new FloraDeadlineError({
          code: 'deadline_exceeded',
          message: `Run ${viewRun(run).runId} did not finish within ${o.deadlineMs} ms (last status: ${viewRun(run).status ?? 'unknown'})`,
          category: 'deadline',
          retryable: false,
          hint: 'The run may still finish: poll it again later with the same run id, or raise deadlineMs.',
          deadlineMs: o.deadlineMs,
        });

  try {
    let reruns = 0;
    let poll = 0;
    let failuresInARow = 0;
    let lastRequestId: string | undefined;
    for (;;) {
      const view = viewRun(run);
      if (view.status !== undefined && TERMINAL_STATUSES.has(view.status)) {
        // A client made by createFloraClient with metrics counts failed runs (once per run id).
        (client as { flora?: { metrics?: { observeRun(run: unknown): void } } }).flora?.metrics?.observeRun(
          run,
        );
        const failure = classifyRun(run, { requestId: lastRequestId });
        if (failure === undefined) {
          if (view.status === 'completed') return run as Record<string, unknown>;
          // cancelled: report it as a run failure with FLORA's not_retryable group.
          throw classifyRun({ ...(run as object), status: 'failed', error_code: 'GENERATION_CANCELLED' });
        }
        if (o.rerun && failure.retryable && reruns < o.maxReruns) {
          reruns += 1;
          run = await o.rerun.start(failure, reruns);
          if (viewRun(run).runId === undefined)
            throw new TypeError('waitForRun: rerun.start must resolve to a run (with run_id)');
          poll = 0;
          continue;
        }
        throw failure;
      }
      const wait = Math.min(pollDelay(poll, view.estimatedSeconds, o), Math.max(0, deadline - Date.now()));
      try {
        await sleep(wait, signal);
      } catch {
        throw stopError();
      }
      if (Date.now() >= deadline) throw stopError();
      poll += 1;
      const runId = view.runId as string;
      const target =
        view.pollUrl !== undefined && sameOrigin(view.pollUrl, client)
          ? { url: view.pollUrl, prefixUrl: '' }
          : {
              url: o.techniqueSlug
                ? `techniques/${encodeURIComponent(o.techniqueSlug)}/runs/${encodeURIComponent(runId)}`
                : `runs/${encodeURIComponent(runId)}`,
            };
      try {
        const response = await client.get(target.url, {
          ...(target.prefixUrl !== undefined ? { prefixUrl: target.prefixUrl } : {}),
          responseType: 'json',
          signal,
        });
        failuresInARow = 0;
        const body = response.body;
        const next = viewRun(body);
        // A poll body without an id (some routes) keeps the id we know.
        run =
          next.runId === undefined && typeof body === 'object' && body !== null
            ? { ...(body as object), run_id: runId }
            : body;
        lastRequestId = readRequestId(response.headers);
        o.onPoll?.(run);
      } catch (error) {
        if (signal.aborted) throw stopError();
        const floraError = isFloraError(error) ? error : fromGotError(error);
        if (!floraError.retryable) throw floraError;
        failuresInARow += 1;
        if (failuresInARow > o.maxConsecutivePollFailures) throw floraError;
      }
    }
  } finally {
    clearTimeout(deadlineTimer);
  }
}

import type { FloraError } from '@flora-resilience/errors';
import { CooldownGate } from './CooldownGate.js';
import { decideRetry, type RetryDecision } from './decideRetry.js';
import { type Disposable, type GiveUpEvent, Listeners, type RetryEvent } from './events.js';
import type { GiveUpReason } from './GIVE_UP_REASONS.js';
import { RetryBudget, type RetryBudgetSnapshot } from './RetryBudget.js';
import { type ResolvedRetryOptions, type RetryOptions, resolveRetryOptions } from './RetryOptions.js';

/** What an adapter tells the policy about the call an attempt belongs to. */
export interface AttemptContext {
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  readonly method: string;
  /** Bounded route template, e.g. `GET /runs/:id`. */
  readonly operation: string;
  readonly hasIdempotencyKey: boolean;
  /** When the logical call started (epoch ms, on the policy's clock). */
  readonly startedAt: number;
  readonly deadlineMs: number | undefined;
  /** Cooldown key of the call (workspace id, or a hash of the API key). */
  readonly cooldownKey: string;
  /** Workspace id when known (never a hash). */
  readonly workspaceId: string | undefined;
  readonly aborted?: boolean | undefined;
}

const POLICY_BRAND = Symbol.for('@flora-resilience/retry.policy');

/** The retry policy: owns the budget, the cooldowns and the listeners; decides for every adapter. */
export interface RetryPolicy {
  readonly [POLICY_BRAND]: true;
  /** The resolved options (defaults applied). */
  readonly options: ResolvedRetryOptions;
  /**
   * Decides for one failed attempt, and acts on it: spends the budget, pauses the workspace on a 429,
   * stamps `giveUpReason`/`retryAfterMs`/`attempts` on the error and emits `onRetry`/`onGiveUp`.
   */
  decide(error: FloraError, context: AttemptContext): RetryDecision;
  /** Records a give-up decided outside `decide` (abort, a cooldown wait that does not fit) and emits it. */
  giveUp(error: FloraError, context: AttemptContext, reason: GiveUpReason): void;
  /** One logical call started (deposits into the budget). */
  startCall(): void;
  onRetry(listener: (event: RetryEvent) => void): Disposable;
  onGiveUp(listener: (event: GiveUpEvent) => void): Disposable;
  /** The budget over its window, or `undefined` when it is off. */
  budget(): RetryBudgetSnapshot | undefined;
  /** @internal the cooldown gate adapters wait on (undefined when cooldowns are off). */
  readonly gate: CooldownGate | undefined;
  /** Clears listeners, releases waiting calls (they fail) and timers. Idempotent. */
  dispose(): void;
}

export function isRetryPolicy(value: unknown): value is RetryPolicy {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[POLICY_BRAND] === true
  );
}

/** Creates a retry policy. Options are copied and validated; see {@link RetryOptions} for defaults. */
export function createRetryPolicy(options?: RetryOptions): RetryPolicy {
  const o = resolveRetryOptions(options);
  const retries = new Listeners<RetryEvent>();
  const giveUps = new Listeners<GiveUpEvent>();
  const budget = o.budget === false ? undefined : new RetryBudget(o.budget, o.now());
  const gate = o.cooldown === false ? undefined : new CooldownGate(o.cooldown, o.now, o.random);
  let disposed = false;

  const giveUp = (error: FloraError, c: AttemptContext, reason: GiveUpReason): void => {
    error.giveUpReason ??= reason;
    error.attempts = Math.max(error.attempts, c.attempt);
    if (c.workspaceId !== undefined) error.workspaceId ??= c.workspaceId;
    giveUps.emit({
      attempt: c.attempt,
      reason,
      error,
      requestId: error.requestId,
      method: c.method,
      operation: c.operation,
      workspaceId: c.workspaceId,
      retryAfterMs: error.retryAfterMs,
    });
  };

  const policy: RetryPolicy = {
    [POLICY_BRAND]: true,
    options: o,
    gate,
    decide(error, c) {
      const now = o.now();
      if (error.status === 429 && gate) {
        // The workspace is rate limited: pause every call of it until the server's instant (or our backoff).
        const pauseMs = error.retryAfterMs;
        if (pauseMs !== undefined && pauseMs > 0) gate.pause(c.cooldownKey, pauseMs);
      }
      const preset = error.giveUpReason as GiveUpReason | undefined;
      const decision: RetryDecision = preset
        ? { retry: false, reason: preset, retryAfterMs: error.retryAfterMs }
        : decideRetry(
            error,
            {
              attempt: c.attempt,
              method: c.method,
              hasIdempotencyKey: c.hasIdempotencyKey,
              elapsedMs: now - c.startedAt,
              deadlineMs: c.deadlineMs,
              budgetAvailable: budget ? budget.canRetry(now) : true,
              aborted: c.aborted || disposed,
              random: o.random,
            },
            o,
          );
      error.attempts = Math.max(error.attempts, c.attempt);
      if (!decision.retry) {
        giveUp(error, c, decision.reason);
        return decision;
      }
      if (decision.spendsBudget) budget?.withdraw(now);
      if (error.status === 429 && gate && !decision.serverAsked) gate.pause(c.cooldownKey, decision.delayMs);
      retries.emit({
        attempt: c.attempt,
        delayMs: decision.delayMs,
        reason: decision.reason,
        error,
        requestId: error.requestId,
        method: c.method,
        operation: c.operation,
        workspaceId: c.workspaceId,
      });
      return decision;
    },
    giveUp,
    startCall() {
      budget?.deposit(o.now());
    },
    onRetry: (listener) => retries.add(listener, 'RetryPolicy.onRetry'),
    onGiveUp: (listener) => giveUps.add(listener, 'RetryPolicy.onGiveUp'),
    budget: () => budget?.snapshot(o.now()),
    dispose() {
      disposed = true;
      retries.clear();
      giveUps.clear();
      gate?.dispose();
    },
  };
  return policy;
}

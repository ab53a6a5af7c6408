import { BRANDS, hasBrand } from './brand.js';
import { FloraError, type FloraErrorInit } from './FloraError.js';
import { redactSecrets } from './redactSecrets.js';
import type { RunRecovery } from './runCodes.js';

/**
 * A run that FLORA accepted (HTTP 200) ended with `status: "failed"`. `code` is the run's `error_code`;
 * `recovery` is FLORA's retry hint group; `moderated` is true when the message reads as a safety refusal.
 * Retrying a run bills again and needs a new idempotency key.
 */
export class FloraRunFailedError extends FloraError {
  declare readonly [BRANDS.FloraRunFailedError]: true;
  readonly runId: string | undefined;
  readonly recovery: RunRecovery;
  readonly moderated: boolean;
  constructor(
    init: FloraErrorInit & {
      readonly runId?: string | undefined;
      readonly recovery: RunRecovery;
      readonly moderated: boolean;
    },
  ) {
    super(init);
    Object.defineProperty(this, BRANDS.FloraRunFailedError, { value: true });
    this.runId = init.runId === undefined ? undefined : redactSecrets(init.runId);
    this.recovery = init.recovery;
    this.moderated = init.moderated;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), runId: this.runId, recovery: this.recovery, moderated: this.moderated };
  }
}
Object.defineProperty(FloraRunFailedError.prototype, 'name', {
  value: 'FloraRunFailedError',
  writable: true,
  configurable: true,
});

export function isFloraRunFailedError(value: unknown): value is FloraRunFailedError {
  return hasBrand(value, BRANDS.FloraRunFailedError);
}

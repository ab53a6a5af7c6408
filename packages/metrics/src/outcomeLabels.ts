import { classifyHttp } from '@flora-resilience/errors';
import { categoryLabel } from './categoryLabel.js';
import { codeLabel } from './codeLabel.js';
import { NONE_LABEL } from './OTHER_LABEL.js';
import { statusLabel } from './statusLabel.js';

/** `success` or `error`. */
export type Outcome = 'success' | 'error';

/** The outcome labels shared by calls and attempts. */
export interface OutcomeLabels {
  readonly outcome: Outcome;
  readonly status: string;
  readonly code: string;
  readonly category: string;
}

/** The parts of a `FloraError` the labels read (structural, so any copy of the errors package works). */
export interface FailureLike {
  readonly status?: number | undefined;
  readonly code?: string | undefined;
  readonly category?: string | undefined;
}

/**
 * Bounded labels for one outcome. With an `error`, the outcome is `error` and the labels come from it.
 * Without one, a 2xx/3xx `status` is a success (`code`/`category` `none`), and any other status (a
 * response let through by `throwHttpErrors: false`) is an error classified by status alone.
 */
export function outcomeLabels(result: {
  readonly status?: number | undefined;
  readonly error?: FailureLike | undefined;
}): OutcomeLabels {
  const { error } = result;
  if (error !== undefined) {
    return {
      outcome: 'error',
      status: statusLabel(error.status ?? result.status),
      code: codeLabel(error.code),
      category: categoryLabel(error.category ?? 'unknown'),
    };
  }
  const { status } = result;
  if (status === undefined || (status >= 200 && status <= 399)) {
    return { outcome: 'success', status: statusLabel(status), code: NONE_LABEL, category: NONE_LABEL };
  }
  const info =
    Number.isInteger(status) && status >= 100 && status <= 999 ? classifyHttp(status, undefined) : undefined;
  return {
    outcome: 'error',
    status: statusLabel(status),
    code: codeLabel(info?.code),
    category: categoryLabel(info?.category ?? 'unknown'),
  };
}

import { KNOWN_RUN_CODES } from '@flora-resilience/errors';
import { NONE_LABEL, OTHER_LABEL } from './OTHER_LABEL.js';

const KNOWN: ReadonlySet<string> = new Set(KNOWN_RUN_CODES);

/**
 * The `code` label of a failed run: a code from `KNOWN_RUN_CODES` (matched as sent, then lower-cased for
 * the docs' vocabulary), the families `ACCESS_*`, `BILLING_*` and `*_ENTITLEMENT_REQUIRED` as those
 * literal family names, `none` when the run carried no code, else `_OTHER`.
 */
export function runCodeLabel(code: string | undefined): string {
  if (code === undefined || code === '') return NONE_LABEL;
  if (KNOWN.has(code)) return code;
  const lower = code.toLowerCase();
  if (KNOWN.has(lower)) return lower;
  const upper = code.toUpperCase();
  if (KNOWN.has(upper)) return upper;
  if (upper.startsWith('ACCESS_')) return 'ACCESS_*';
  if (upper.endsWith('_ENTITLEMENT_REQUIRED')) return '*_ENTITLEMENT_REQUIRED';
  if (upper.startsWith('BILLING_')) return 'BILLING_*';
  return OTHER_LABEL;
}

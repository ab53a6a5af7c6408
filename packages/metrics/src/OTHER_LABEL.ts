/** The label value that stands for every value outside a bounded set. */
export const OTHER_LABEL = '_OTHER';

/** The label value for "not applicable" (no status, no code on success, no failure category). */
export const NONE_LABEL = 'none';

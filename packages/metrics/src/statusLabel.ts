import { NONE_LABEL, OTHER_LABEL } from './OTHER_LABEL.js';

/** The `status` label: the HTTP status as a string (100–599), `none` without a response, else `_OTHER`. */
export function statusLabel(status: number | undefined): string {
  if (status === undefined) return NONE_LABEL;
  if (Number.isInteger(status) && status >= 100 && status <= 599) return String(status);
  return OTHER_LABEL;
}

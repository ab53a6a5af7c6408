import { FLORA_ERROR_CATEGORIES } from '@flora-resilience/errors';
import { NONE_LABEL } from './OTHER_LABEL.js';

const CATEGORIES: ReadonlySet<string> = new Set(FLORA_ERROR_CATEGORIES);

/** The `category` label: a `FLORA_ERROR_CATEGORIES` value, `none` without a failure, else `unknown`. */
export function categoryLabel(category: string | undefined): string {
  if (category === undefined) return NONE_LABEL;
  return CATEGORIES.has(category) ? category : 'unknown';
}

import { randomBytes } from 'node:crypto';

/** A random id with FLORA's prefix convention, e.g. `req_3f9c…`, `run_…`, `prj_…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

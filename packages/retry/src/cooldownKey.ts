import { createHash } from 'node:crypto';

/**
 * The cooldown key of a call: its workspace id when known, else a truncated sha256 of the
 * `Authorization` header (FLORA keys are one per workspace), never the key itself. `'anonymous'` without either.
 */
export function cooldownKey(workspaceId: string | undefined, authorization: unknown): string {
  if (workspaceId !== undefined) return `ws:${workspaceId}`;
  const auth = Array.isArray(authorization) ? authorization[0] : authorization;
  if (typeof auth === 'string' && auth !== '') {
    // One hash per distinct header, not per call: a service uses one key for thousands of calls.
    if (auth !== last.auth) {
      last = { auth, key: `key:${createHash('sha256').update(auth.trim()).digest('hex').slice(0, 16)}` };
    }
    return last.key;
  }
  return 'anonymous';
}

let last: { readonly auth: string | undefined; readonly key: string } = { auth: undefined, key: '' };

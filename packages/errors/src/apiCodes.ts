import type { FloraErrorCategory } from './categories.js';

export interface CodeInfo {
  readonly category: FloraErrorCategory;
  readonly retryable: boolean;
  /** The statuses FLORA documents this code with; a code under another status class is not trusted. */
  readonly statuses: readonly number[];
  readonly hint: string;
  readonly maxAttempts?: number;
}

/**
 * Every HTTP-level code FLORA documents anywhere (docs, spec enum, legacy docs, FLORA's measured skills):
 * flora-api.md §1.3 and §1.5. The hint is the docs' "Fix" in one line.
 */
export const API_CODES = {
  invalid_json: {
    category: 'invalid_request',
    retryable: false,
    statuses: [400],
    hint: 'The body was not valid JSON: a serialization bug in the client, not a server issue. Fix it; do not retry.',
  },
  input_validation_error: {
    category: 'invalid_request',
    retryable: false,
    statuses: [400],
    hint: 'Read `fields` and `message`; use prefixed ids (ws_, prj_, tech_, run_) and match the technique input schema (GET /techniques/{slug}).',
  },
  unauthorized: {
    category: 'authentication',
    retryable: false,
    statuses: [401],
    hint: 'No valid Authorization header: send `Authorization: Bearer sk_live_…` on every request.',
  },
  invalid_api_key: {
    category: 'authentication',
    retryable: false,
    statuses: [401],
    hint: 'The API key is malformed, revoked or unknown: check for whitespace, a doubled `Bearer ` and the env var; create a new key if revoked.',
  },
  invalid_token: {
    category: 'authentication',
    retryable: false,
    statuses: [401],
    hint: 'The MCP OAuth token expired or was revoked: reconnect the MCP client.',
  },
  insufficient_credits: {
    category: 'billing',
    retryable: false,
    statuses: [402],
    hint: 'The workspace is out of credits: top up in Settings → Billing, then retry; stop the batch meanwhile (automatic retries cannot succeed).',
  },
  forbidden: {
    category: 'permission',
    retryable: false,
    statuses: [403],
    hint: 'The key is valid but lacks permission (read-only role, removed from the workspace, archived technique): check the role; contact support with the request-id.',
  },
  paid_plan_required: {
    category: 'billing',
    retryable: false,
    statuses: [403],
    hint: 'This operation needs a paid FLORA plan: upgrade the workspace.',
  },
  not_found: {
    category: 'not_found',
    retryable: false,
    statuses: [404],
    hint: 'The id, slug or run id does not exist or is not in this workspace: verify it (https://app.flora.ai/techniques/{slug} is authoritative for slugs; list the parent collection for assets/projects; poll runs in the workspace that created them).',
  },
  conflict: {
    category: 'conflict',
    retryable: false,
    statuses: [409],
    hint: 'The resource state does not allow this operation: GET the resource first and act only if its state allows it.',
  },
  idempotency_duplicate: {
    category: 'idempotency',
    retryable: false,
    statuses: [409],
    hint: 'This idempotency key already fired within 2 h: the first request went through, so find its run; use a new key only to really run again.',
  },
  idempotency_conflict: {
    category: 'idempotency',
    retryable: false,
    statuses: [422],
    hint: 'The same idempotency_key came with a different body: resend the original body, or choose a new key.',
  },
  rate_limited: {
    category: 'rate_limited',
    retryable: true,
    statuses: [429],
    hint: 'The workspace request rate was exceeded: back off (honour retry-after) and reduce parallelism.',
  },
  internal_error: {
    category: 'server',
    retryable: true,
    statuses: [500],
    hint: 'Something broke on FLORA’s side: retry with backoff; if it persists, send the request-id to support.',
  },
  unknown_error: {
    category: 'server',
    retryable: true,
    maxAttempts: 2,
    statuses: [500],
    hint: 'An opaque server error, also returned for a malformed prj_/ws_ id on create: check the ids before assuming an outage; worth one retry.',
  },
  service_unavailable: {
    category: 'server',
    retryable: true,
    statuses: [503],
    hint: 'FLORA is overloaded or in maintenance: retry with exponential backoff; check https://status.flora.ai.',
  },
} as const satisfies Record<string, CodeInfo>;

export type FloraApiCode = keyof typeof API_CODES;

/** The codes FLORA documents, for bounded metric labels (anything else is `_OTHER`). */
export const KNOWN_API_CODES: readonly FloraApiCode[] = Object.keys(API_CODES) as FloraApiCode[];

export function isKnownApiCode(code: string): code is FloraApiCode {
  return Object.hasOwn(API_CODES, code);
}

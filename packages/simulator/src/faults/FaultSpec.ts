/**
 * When and where a fault applies. Times are milliseconds relative to the simulator's start, on its clock
 * (`options.now`). Every field is optional: a bare `{ kind: 'status', status: 500, code: 'internal_error' }`
 * fires on every request of every route until removed.
 */
export interface FaultSchedule {
  /** `'*'` (default), `'POST *'` (every route of one method) or `'POST /techniques/:slug/runs'` (a route template). */
  route?: string;
  /**
   * Only requests whose path (after `/api/v1`, without the query) is this or starts with it followed by
   * `/`, e.g. `'/techniques/upscale-4k'`: one technique down while the others work. Default: any path.
   */
  path?: string;
  /** Start of the window, ms after start (inclusive). Default: 0. */
  from?: number;
  /** End of the window, ms after start (exclusive). Default: never. */
  until?: number;
  /** Chance that a matching request gets the fault, 0..1, drawn from the seeded PRNG. Default: 1. */
  probability?: number;
  /** Fire at most this many times, then stay inert. Default: unlimited. */
  count?: number;
}

/** Any status and FLORA error code, e.g. 500 `internal_error`, 503 `service_unavailable`. */
export interface StatusFault extends FaultSchedule {
  kind: 'status';
  /** 400..599. */
  status: number;
  code: string;
  /** Default: `Simulated <status> fault.` */
  message?: string;
  /** Extra response headers, e.g. `{ 'retry-after': '2' }`. */
  headers?: Record<string, string>;
}

/** A proxy-style HTML error page (content-type text/html). */
export interface HtmlFault extends FaultSchedule {
  kind: 'html';
  /** Default: 502. */
  status?: number;
}

/** An error status with an empty body that still claims `content-type: application/json`. */
export interface EmptyFault extends FaultSchedule {
  kind: 'empty';
  /** Default: 500. */
  status?: number;
}

/** A JSON body cut in half (with a matching content-length, so only JSON.parse fails). No side effect. */
export interface TruncatedFault extends FaultSchedule {
  kind: 'truncated';
  /** Default: 500 (the body is a cut error envelope); a status < 400 sends a cut run object. */
  status?: number;
}

/** A valid but huge JSON body, streamed with back-pressure. No side effect. */
export interface HugeFault extends FaultSchedule {
  kind: 'huge';
  /** Default: 200. */
  status?: number;
  /** Body size in bytes. Default: 20 MiB. */
  bytes?: number;
}

/** Added latency before the request is handled; other faults still apply after it. */
export interface LatencyFault extends FaultSchedule {
  kind: 'latency';
  /** A fixed delay, or `[min, max]` drawn uniformly from the seeded PRNG. */
  ms: number | readonly [number, number];
}

/** The socket is destroyed without a response. */
export interface ResetFault extends FaultSchedule {
  kind: 'reset';
  /**
   * `'before'` (default): nothing happened server-side. `'after'`: the handler ran (a run IS created and
   * charged, the idempotency key is burned), then the socket is destroyed.
   */
  phase?: 'before' | 'after';
}

/**
 * A hard outage: the listening socket is closed (clients get ECONNREFUSED) and every open connection is
 * destroyed, then the server listens again on the same port when the window ends. Needs `from` and `until`;
 * `route` must be `'*'` and `probability`/`count` are not allowed.
 */
export interface OutageFault extends FaultSchedule {
  kind: 'outage';
  from: number;
  until: number;
}

/** A fault to inject, as a plain object (a discriminated union on `kind`). */
export type FaultSpec =
  | StatusFault
  | HtmlFault
  | EmptyFault
  | TruncatedFault
  | HugeFault
  | LatencyFault
  | ResetFault
  | OutageFault;

/** Every fault kind. */
export type FaultKind = FaultSpec['kind'];

/** The `kind` values, for validation and docs. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'status',
  'html',
  'empty',
  'truncated',
  'huge',
  'latency',
  'reset',
  'outage',
];

/** A registered fault as `faults.list()` reports it. */
export interface FaultEntry {
  id: string;
  /** A copy of the spec as added. */
  spec: FaultSpec;
  /** How many times it has fired so far. */
  fired: number;
}

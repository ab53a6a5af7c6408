/** One request as the simulator saw it. */
export interface AttemptRecord {
  /** Arrival time on the simulator's clock (ms, absolute like `options.now()`). */
  time: number;
  method: string;
  /** `METHOD /template`, e.g. `POST /techniques/:slug/runs`, or `METHOD (unmatched)`. */
  route: string;
  /** The concrete path, without `/api/v1` and the query. */
  path: string;
  /** HTTP status sent, or null when the socket was destroyed without a response (reset, outage). */
  status: number | null;
  /** `error.code` of an error response, `'reset'`/`'outage'` for a destroyed socket, else null. */
  code: string | null;
  requestId: string;
  /** The `Idempotency-Key` header, else the body `idempotency_key`, else null. */
  idempotencyKey: string | null;
  /** The workspace of a valid API key, else null. */
  workspaceId: string | null;
  /** Id of the fault that shaped the response (terminal fault, else the first latency fault), else null. */
  fault: string | null;
}

/** A snapshot (a copy) of what the simulator counted. */
export interface SimulatorStats {
  /** Requests that reached the HTTP handler, including faulted, reset and rate-limited ones. */
  requests: number;
  /** Per `METHOD /template`. */
  byRoute: Record<string, number>;
  /** Per status (`'200'`, `'429'`…), plus `'none'` for sockets destroyed without a response. */
  byStatus: Record<string, number>;
  /** Per error code (`'rate_limited'`…, `'reset'`, `'outage'`); successes are not counted here. */
  byCode: Record<string, number>;
  /** Requests per idempotency key (header or body). */
  byIdempotencyKey: Record<string, number>;
  sideEffects: {
    runsCreated: number;
    assetsCreated: number;
    projectsCreated: number;
    /** USD charged across all workspaces. */
    creditsCharged: number;
  };
  /** Outage windows entered so far. */
  outages: number;
  /**
   * Connections accepted while an outage was due (e.g. on an injected clock before `sync()`) and destroyed.
   * Connections refused by the closed port cannot be counted: nothing listens then.
   */
  connectionsDroppedByOutage: number;
  /** The last `statsLimit` attempts, oldest first. */
  attempts: AttemptRecord[];
  /** Attempts that fell out of the ring. */
  droppedAttempts: number;
}

/** The outcome of one logical call, as the caller saw it. */
export interface CallSample {
  readonly caller: number;
  /** The operation's path (e.g. `techniques/upscale-4k`). */
  readonly path: string;
  /** Wall-clock start and end (`Date.now()`, the simulator's clock). */
  readonly startedAt: number;
  readonly endedAt: number;
  /** Precise duration from `performance.now()`. */
  readonly latencyMs: number;
  readonly ok: boolean;
  /** For a failure: what the caller could branch on, e.g. `FloraApiError rate_limited (attempts_exhausted)`. */
  readonly failure?: string;
}

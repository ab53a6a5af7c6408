/** One logical call of a workload. */
export interface Operation {
  readonly method: 'GET' | 'POST';
  /** Relative to the API base, without a leading slash (e.g. `techniques/thumbnail-v3`). */
  readonly path: string;
  readonly json?: Record<string, unknown>;
}

/** The fields of a FLORA run that polling needs, whatever casing the server used (flora-api.md §4.4). */
export interface RunView {
  readonly runId: string | undefined;
  readonly status: string | undefined;
  readonly pollUrl: string | undefined;
  readonly estimatedSeconds: number | undefined;
  readonly techniqueSlug: string | undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Reads `run_id`/`runId`/`id`, `status`, `poll_url`/`pollUrl`, `estimated_seconds`/`estimatedSeconds`. Never throws. */
export function viewRun(run: unknown): RunView {
  const r = typeof run === 'object' && run !== null ? (run as Record<string, unknown>) : {};
  const est = r.estimated_seconds ?? r.estimatedSeconds;
  return {
    runId: str(r.run_id) ?? str(r.runId) ?? str(r.id),
    status: str(r.status)?.toLowerCase(),
    pollUrl: str(r.poll_url) ?? str(r.pollUrl),
    estimatedSeconds: typeof est === 'number' && Number.isFinite(est) && est >= 0 ? est : undefined,
    techniqueSlug: undefined,
  };
}

export const TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  'completed',
  'failed',
  'error',
  'cancelled',
  'canceled',
]);

import type { RunRecord } from '../runs/RunRecord.js';
import { runView } from '../runs/RunRecord.js';
import { generationListView, techniqueRunListView } from '../runs/runListViews.js';
import type { SimulatorState } from '../state/SimulatorState.js';
import { paginate } from './paginate.js';
import { newestFirst, queryEnum, queryPrefixedId } from './queryFilters.js';
import type { RouteContext, RouteHandler } from './RouteHandler.js';
import { FieldCollector } from './validation.js';
import { assertOwnWorkspace } from './workspaceAccess.js';

const RUN_STATUSES = ['pending', 'running', 'completed', 'failed'] as const;

/**
 * The key's runs of one type, filtered by `workspace_id`, `project_id`, `status` (as of `ctx.now`) and,
 * for technique runs, `technique_id`; newest first. Malformed filters are one 400 listing them all.
 */
function listRuns(
  state: SimulatorState,
  ctx: RouteContext,
  type: RunRecord['type'],
  withTechnique: boolean,
): RunRecord[] {
  const c = new FieldCollector();
  const workspaceId = queryPrefixedId(c, ctx.query, 'workspace_id', 'ws');
  const projectId = queryPrefixedId(c, ctx.query, 'project_id', 'prj');
  const techniqueId = withTechnique ? queryPrefixedId(c, ctx.query, 'technique_id', 'tech') : undefined;
  const status = queryEnum(c, ctx.query, 'status', RUN_STATUSES);
  c.throwIfAny();
  if (workspaceId !== undefined) assertOwnWorkspace(workspaceId, ctx.workspaceId);
  const runs = [...state.runs.values()].filter(
    (r) =>
      r.type === type &&
      r.workspaceId === ctx.workspaceId &&
      (projectId === undefined || r.projectId === projectId) &&
      (techniqueId === undefined || r.techniqueId === techniqueId) &&
      (status === undefined || runView(r, ctx.now).status === status),
  );
  return newestFirst(runs, (r) => r.createdAt);
}

/** `GET /generations` and `GET /technique-runs`: cursor-paginated lists of the runs the simulator holds. */
export function runListRoutes(state: SimulatorState): Record<string, RouteHandler> {
  return {
    'GET /generations': (ctx) => {
      const items = listRuns(state, ctx, 'generation', false).map((r) => generationListView(r, ctx.now));
      return { status: 200, body: paginate(items, ctx.query, 'generations') };
    },
    'GET /technique-runs': (ctx) => {
      const items = listRuns(state, ctx, 'technique', true).map((r) => techniqueRunListView(r, ctx.now));
      return { status: 200, body: paginate(items, ctx.query, 'technique_runs') };
    },
  };
}

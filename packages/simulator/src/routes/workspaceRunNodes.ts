import { ApiError } from '../http/ApiError.js';
import { OUTPUT_TYPE_OF } from '../runs/mediaOutputType.js';
import { runView } from '../runs/RunRecord.js';
import { liveCanvas, nodeConfig, resolveNodeRef } from '../state/canvasGraph.js';
import type { ProjectRecord, SimulatorState } from '../state/SimulatorState.js';
import type { RouteContext } from './RouteHandler.js';
import { FieldCollector } from './validation.js';

/** The most node ids one `nodes/run` request takes (SDK: "Between 1 and 50 per request"). */
export const MAX_RUN_NODES = 50;

type Skip = 'node_not_found' | 'node_not_executable' | 'no_model_configured' | 'generation_already_running';

const SKIP_MESSAGES: Record<Skip, string> = {
  node_not_found: 'No node on this canvas answers to that id.',
  node_not_executable:
    'The node generates nothing (static media, derived or file nodes; action nodes run through the action run endpoint).',
  no_model_configured: 'The node has no model set.',
  generation_already_running: 'A generation for this node is already in flight.',
};

/**
 * `POST /workspaces/{ws}/projects/{prj}/nodes/run`: one entry per requested id, in request order. Each
 * runnable node is billed at once (its model's `run_cost`) and starts a generation run tied to the node.
 * Credits are not checked up front: a node the balance does not cover still starts, but its run fails
 * with `BILLING_NOT_ENOUGH_CREDITS` and charges nothing (the request itself never answers 402).
 */
export function runNodes(
  state: SimulatorState,
  ctx: RouteContext,
  p: ProjectRecord,
  body: Record<string, unknown>,
): Record<string, unknown>[] {
  const c = new FieldCollector();
  const ids = body.node_ids;
  if (ids === undefined) c.add('node_ids', 'Required');
  else if (!Array.isArray(ids)) c.add('node_ids', 'Expected array.');
  else if (ids.length < 1 || ids.length > MAX_RUN_NODES)
    c.add('node_ids', `Array must contain between 1 and ${MAX_RUN_NODES} element(s).`);
  else
    ids.forEach((v: unknown, i) => {
      if (typeof v !== 'string' || v === '') c.add(`node_ids[${i}]`, 'Expected a non-empty string.');
    });
  for (const k of Object.keys(body)) if (k !== 'node_ids') c.add(k, 'Unrecognized key.');
  c.throwIfAny();

  const live = liveCanvas(state, p.project_id, ctx.now);
  const skipped = (node_id: string, reason: Skip) => ({
    node_id,
    status: 'skipped',
    reason,
    message: SKIP_MESSAGES[reason],
  });
  return (ids as string[]).map((requested) => {
    const nodeId = resolveNodeRef(state, p.project_id, live, requested);
    if (nodeId === undefined) return skipped(requested, 'node_not_found');
    const rec = live.stored.get(nodeId);
    if (
      !rec ||
      rec.type === 'action' ||
      rec.type === 'file' ||
      rec.url !== undefined ||
      rec.asset_id !== undefined
    )
      return skipped(requested, 'node_not_executable');
    const modelId = nodeConfig(rec).modelId;
    const model = state.models.find((m) => m.model_id === modelId && m.type === rec.type);
    if (!model) return skipped(requested, 'no_model_configured');
    for (const r of state.runs.values()) {
      if (r.canvasNodeId !== nodeId) continue;
      const status = runView(r, ctx.now).status;
      if (status === 'pending' || status === 'running')
        return skipped(requested, 'generation_already_running');
    }
    let charged = model.run_cost;
    let billingError: ApiError | undefined;
    try {
      state.charge(ctx.workspaceId, model.run_cost);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 402) throw err;
      billingError = err;
      charged = 0;
    }
    const run = state.createRun({
      workspaceId: ctx.workspaceId,
      type: 'generation',
      modelId: model.model_id,
      projectId: p.project_id,
      canvasNodeId: nodeId,
      createdAt: ctx.now,
      chargedCost: charged,
      outputType: OUTPUT_TYPE_OF[rec.type as 'image' | 'video' | 'audio' | 'text'],
    });
    if (billingError) run.failure = { code: 'BILLING_NOT_ENOUGH_CREDITS', message: billingError.message };
    return {
      node_id: requested,
      status: 'started',
      run_id: run.runId,
      poll_url: run.pollUrl,
      type: 'generation',
      model: { model_id: model.model_id },
      charged_cost: model.run_cost,
      estimated_seconds: model.estimated_seconds,
    };
  });
}

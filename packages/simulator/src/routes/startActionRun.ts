import { OUTPUT_TYPE_OF } from '../runs/mediaOutputType.js';
import { startView } from '../runs/RunRecord.js';
import type { ActionDefinition } from '../state/catalog.js';
import type { SimulatorState } from '../state/SimulatorState.js';
import type { RouteContext, RouteResult } from './RouteHandler.js';

/**
 * Bills an action and starts its run (the start shape, retrievable through `GET /runs/{id}`): shared by
 * `POST /runs/action` and `POST /projects/{id}/actions/{nodeId}/run` (which also names its canvas node).
 */
export function startActionRun(
  state: SimulatorState,
  ctx: RouteContext,
  action: ActionDefinition,
  projectId: string,
  canvasNodeId?: string,
): RouteResult {
  state.charge(ctx.workspaceId, action.charged_cost);
  const run = state.createRun({
    workspaceId: ctx.workspaceId,
    type: 'action',
    actionId: action.action_id,
    projectId,
    ...(canvasNodeId === undefined ? {} : { canvasNodeId }),
    createdAt: ctx.now,
    chargedCost: action.charged_cost,
    outputType: OUTPUT_TYPE_OF[action.outputs[0]?.type ?? 'image'],
  });
  return { status: 200, body: startView(run, action.estimated_seconds), runBody: true };
}

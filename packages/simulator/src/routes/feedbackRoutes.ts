import { newId } from '../http/newId.js';
import type { FeedbackRecord, SimulatorState } from '../state/SimulatorState.js';
import type { RouteHandler } from './RouteHandler.js';
import { bodyObject, FieldCollector, prefixedId, requiredString } from './validation.js';
import { assertOwnWorkspace } from './workspaceAccess.js';

const KINDS: readonly FeedbackRecord['kind'][] = [
  'feature_request',
  'bug',
  'technique_request',
  'missing_capability',
];

/** `POST /feedback`: product feedback (not billed), `201 { feedback_id: 'fb_…', received_at }` as in the spec. */
export function feedbackRoutes(state: SimulatorState): Record<string, RouteHandler> {
  return {
    'POST /feedback': (ctx) => {
      const body = bodyObject(ctx.body);
      const c = new FieldCollector();
      const kind = body.kind as FeedbackRecord['kind'];
      if (kind === undefined) c.add('kind', 'Required');
      else if (!KINDS.includes(kind)) c.add('kind', `Expected one of ${KINDS.join(', ')}.`);
      const summary = requiredString(c, body, 'summary');
      const detail = requiredString(c, body, 'detail');
      const tools = body.attempted_tools;
      if (tools !== undefined && (!Array.isArray(tools) || tools.some((t) => typeof t !== 'string'))) {
        c.add('attempted_tools', 'Expected an array of strings.');
      }
      const workspaceId = prefixedId(c, body, 'workspace_id', 'ws', false);
      const projectId = prefixedId(c, body, 'project_id', 'prj', false);
      const runId = prefixedId(c, body, 'run_id', 'run', false);
      c.throwIfAny();
      if (workspaceId !== undefined) assertOwnWorkspace(workspaceId, ctx.workspaceId);
      const record: FeedbackRecord = {
        feedback_id: newId('fb'),
        workspace_id: ctx.workspaceId,
        kind,
        summary: summary!,
        detail: detail!,
        attempted_tools: [...((tools as string[] | undefined) ?? [])],
        project_id: projectId ?? null,
        run_id: runId ?? null,
        received_at: ctx.now,
      };
      state.feedback.push(record);
      return { status: 201, body: { feedback_id: record.feedback_id, received_at: record.received_at } };
    },
  };
}

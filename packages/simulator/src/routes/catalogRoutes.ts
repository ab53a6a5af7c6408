import { ApiError } from '../http/ApiError.js';
import type { SimulatorState } from '../state/SimulatorState.js';
import { paginate } from './paginate.js';
import type { RouteHandler } from './RouteHandler.js';
import { assertOwnWorkspace } from './workspaceAccess.js';

const MODEL_TYPES = ['image', 'video', 'audio', 'text'];

/** `GET /workspaces`, `GET /models`, `GET /techniques`, `GET /techniques/:idOrSlug`. */
export function catalogRoutes(state: SimulatorState): Record<string, RouteHandler> {
  return {
    'GET /workspaces': (ctx) => ({
      status: 200,
      body: {
        workspaces: [
          {
            workspace_id: ctx.workspaceId,
            name: `Simulated ${ctx.workspaceId}`,
            role: 'owner',
            created_at: null,
          },
        ],
      },
    }),
    'GET /models': (ctx) => {
      const type = ctx.query.get('type');
      if (type !== null && !MODEL_TYPES.includes(type)) {
        throw ApiError.validation([{ field: 'type', message: `Expected one of ${MODEL_TYPES.join(', ')}.` }]);
      }
      const models = state.models
        .filter((m) => type === null || m.type === type)
        .map((m) => structuredClone(m));
      return { status: 200, body: { models } };
    },
    'GET /techniques': (ctx) => {
      const ws = ctx.query.get('workspace_id');
      if (ws !== null) {
        if (!/^ws_\S+$/.test(ws)) {
          throw ApiError.validation([
            { field: 'workspace_id', message: "Invalid id: expected a 'ws_' prefixed id." },
          ]);
        }
        assertOwnWorkspace(ws, ctx.workspaceId);
      }
      const q = ctx.query.get('query')?.toLowerCase();
      const items = state.techniques
        .filter((t) => !q || t.name.toLowerCase().includes(q) || t.slug.includes(q))
        .map((t) => structuredClone(t));
      return { status: 200, body: paginate(items, ctx.query, 'techniques') };
    },
    'GET /techniques/:idOrSlug': (ctx) => {
      const t = state.findTechnique(ctx.params.idOrSlug!);
      if (!t) throw ApiError.notFound('Technique');
      return { status: 200, body: structuredClone(t) };
    },
  };
}

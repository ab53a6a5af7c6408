import { ApiError } from '../http/ApiError.js';
import { newId } from '../http/newId.js';
import type { ProjectRecord, SimulatorState } from '../state/SimulatorState.js';
import { paginate } from './paginate.js';
import type { RouteContext, RouteHandler, RouteResult } from './RouteHandler.js';
import { bodyObject, FieldCollector, prefixedId, requiredString } from './validation.js';
import { assertOwnWorkspace } from './workspaceAccess.js';

/** Checks a project `name` (non-empty, at most 200 characters). */
export function projectName(c: FieldCollector, body: Record<string, unknown>): string | undefined {
  const name = requiredString(c, body, 'name');
  if (name !== undefined && name.length > 200) c.add('name', 'Must be at most 200 characters.');
  return name;
}

/**
 * Stores and counts a new project in the caller's workspace (optionally filed into a folder); the result
 * of `POST /projects`, `POST /workspaces/{ws}/projects` and `POST /workspaces/{ws}/folders/{id}/projects`.
 */
export function createProject(
  state: SimulatorState,
  ctx: RouteContext,
  name: string,
  folderId?: string,
): RouteResult {
  const project: ProjectRecord = {
    project_id: newId('prj'),
    name,
    workspace_id: ctx.workspaceId,
    created_at: ctx.now,
    last_modified: ctx.now,
    origin: 'api',
  };
  state.projects.set(project.project_id, project);
  if (folderId !== undefined) state.projectFolders.set(project.project_id, folderId);
  state.countProject();
  return { status: 200, body: { ...project } };
}

/** `POST /projects`, `GET /projects`, `GET /projects/:id`, `GET /projects/:id/nodes`. */
export function projectRoutes(state: SimulatorState): Record<string, RouteHandler> {
  return {
    'POST /projects': (ctx) => {
      const body = bodyObject(ctx.body);
      const c = new FieldCollector();
      const name = projectName(c, body);
      const workspaceId = prefixedId(c, body, 'workspace_id', 'ws', true);
      c.throwIfAny();
      assertOwnWorkspace(workspaceId!, ctx.workspaceId);
      return createProject(state, ctx, name!);
    },
    'GET /projects': (ctx) => {
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
      const items = [...state.projects.values()]
        .filter((p) => p.workspace_id === ctx.workspaceId && (!q || p.name.toLowerCase().includes(q)))
        .reverse()
        .sort((a, b) => b.last_modified - a.last_modified)
        .map((p) => ({ ...p }));
      return { status: 200, body: paginate(items, ctx.query, 'projects') };
    },
    'GET /projects/:id': (ctx) => {
      const p = state.projects.get(ctx.params.id!);
      if (!p || p.workspace_id !== ctx.workspaceId) throw ApiError.notFound('Project');
      return { status: 200, body: { ...p } };
    },
    'GET /projects/:id/nodes': (ctx) => {
      const p = state.projects.get(ctx.params.id!);
      if (!p || p.workspace_id !== ctx.workspaceId) throw ApiError.notFound('Project');
      const nodes = state.projectCanvas(p.project_id, ctx.now);
      return { status: 200, body: paginate(nodes, ctx.query, 'nodes') };
    },
  };
}

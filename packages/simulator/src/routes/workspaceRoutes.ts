import { ApiError } from '../http/ApiError.js';
import { canvasDefinition, projectGraph } from '../state/canvasGraph.js';
import type { ProjectRecord, SimulatorState } from '../state/SimulatorState.js';
import { canvasUrl } from './canvasRoutes.js';
import { createProject, projectName } from './projectRoutes.js';
import type { RouteContext, RouteHandler } from './RouteHandler.js';
import { bodyObject, FieldCollector } from './validation.js';
import { assertOwnWorkspace, checkPathIds } from './workspaceAccess.js';
import { replaceDefinition } from './workspaceCanvasDefinition.js';
import { applyChangeset } from './workspaceChangeset.js';
import { runNodes } from './workspaceRunNodes.js';

const WS: [string, string] = ['workspace_id', 'ws'];
const PRJ: [string, string] = ['project_id', 'prj'];

/**
 * The `{ws}` of a workspace-scoped route: a bad prefix is a 400 (with the other path ids), a workspace
 * other than the key's a 403 (as on `POST /projects` with a foreign `workspace_id`).
 */
function ownWorkspace(ctx: RouteContext, more: Record<string, [string, string]> = {}): void {
  checkPathIds(ctx.params, { ws: WS, ...more });
  assertOwnWorkspace(ctx.params.ws!, ctx.workspaceId);
}

/** The project of a `/workspaces/{ws}/projects/{prj}/…` route; 404 when missing or in another workspace. */
/** The body of both canvas-definition routes: the definition as it now stands. */
function definitionBody(state: SimulatorState, projectId: string, now: number) {
  const d = canvasDefinition(state, projectId, now);
  return {
    canvas_url: canvasUrl(projectId),
    definition: d.definition,
    project_id: projectId,
    summary: d.summary,
  };
}

export function workspaceProject(state: SimulatorState, ctx: RouteContext): ProjectRecord {
  ownWorkspace(ctx, { prj: PRJ });
  const p = state.projects.get(ctx.params.prj!);
  if (!p || p.workspace_id !== ctx.workspaceId) throw ApiError.notFound('Project');
  return p;
}

/**
 * The workspace-scoped routes of SDK 0.11 (`client.workspaces.*`): project creation (optionally into a
 * `fld_` folder), the lossless graph read, the canvas definition read/replace, the atomic canvas
 * changeset and the node runner.
 */
export function workspaceRoutes(state: SimulatorState): Record<string, RouteHandler> {
  return {
    'POST /workspaces/:ws/projects': (ctx) => {
      ownWorkspace(ctx);
      const c = new FieldCollector();
      const name = projectName(c, bodyObject(ctx.body));
      c.throwIfAny();
      return createProject(state, ctx, name!);
    },

    'POST /workspaces/:ws/folders/:folderId/projects': (ctx) => {
      ownWorkspace(ctx, { folderId: ['folder_id', 'fld'] });
      const c = new FieldCollector();
      const name = projectName(c, bodyObject(ctx.body));
      c.throwIfAny();
      const folder = state.folders.get(ctx.params.folderId!);
      // An unreachable folder is a 404 "rather than disclosing that it exists" (SDK docstring).
      if (!folder || folder.workspace_id !== ctx.workspaceId) throw ApiError.notFound('Folder');
      return createProject(state, ctx, name!, folder.folder_id);
    },

    'GET /workspaces/:ws/projects/:prj/graph': (ctx) => {
      const p = workspaceProject(state, ctx);
      const g = projectGraph(state, p.project_id, ctx.now);
      return {
        status: 200,
        body: {
          canvas_url: canvasUrl(p.project_id),
          edges: g.edges,
          nodes: g.nodes,
          project_id: p.project_id,
          revision: g.revision,
        },
      };
    },

    'GET /workspaces/:ws/projects/:prj/canvas/definition': (ctx) => {
      const p = workspaceProject(state, ctx);
      return { status: 200, body: definitionBody(state, p.project_id, ctx.now) };
    },

    'PUT /workspaces/:ws/projects/:prj/canvas/definition': (ctx) => {
      const p = workspaceProject(state, ctx);
      replaceDefinition(state, p, bodyObject(ctx.body), ctx.now);
      return { status: 200, body: definitionBody(state, p.project_id, ctx.now) };
    },

    'POST /workspaces/:ws/projects/:prj/canvas/changeset': (ctx) => {
      const p = workspaceProject(state, ctx);
      const result = applyChangeset(state, p, bodyObject(ctx.body), ctx.now);
      return {
        status: 200,
        body: {
          applied: result.applied,
          canvas_url: canvasUrl(p.project_id),
          created: result.created,
          project_id: p.project_id,
          revision: projectGraph(state, p.project_id, ctx.now).revision,
          warnings: result.warnings,
        },
      };
    },

    'POST /workspaces/:ws/projects/:prj/nodes/run': (ctx) => {
      const p = workspaceProject(state, ctx);
      return {
        status: 200,
        body: { project_id: p.project_id, runs: runNodes(state, ctx, p, bodyObject(ctx.body)) },
      };
    },
  };
}

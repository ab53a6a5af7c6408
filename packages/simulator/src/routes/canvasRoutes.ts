import { ApiError } from '../http/ApiError.js';
import { newId } from '../http/newId.js';
import {
  canvasSummary,
  mermaidNodeLine,
  parseMermaidPatch,
  renderMermaid,
  splitTypedLabel,
} from '../state/mermaid.js';
import { assetNodeType, type ProjectNode } from '../state/projectNodes.js';
import type {
  CanvasEdgeRecord,
  CanvasNodeRecord,
  ProjectRecord,
  SimulatorState,
} from '../state/SimulatorState.js';
import { ACTION_SLUG, actionInputs, slotErrors } from './actionRoutes.js';
import type { RouteContext, RouteHandler } from './RouteHandler.js';
import { startActionRun } from './startActionRun.js';
import { bodyObject, FieldCollector, isHttpsUrl, requiredString } from './validation.js';

/** The app URL of a project's canvas (a guess at FLORA's format; the SDK only says "Project canvas URL"). */
export const canvasUrl = (projectId: string): string =>
  `https://app.flora.ai/projects/${encodeURIComponent(projectId)}`;

const NODE_PARAM_KEYS = ['aspect_ratio', 'content_url', 'model', 'model_parameters', 'prompt', 'resolution'];

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks an optional `params` object. */
function optionalParams(
  c: FieldCollector,
  body: Record<string, unknown>,
): Record<string, unknown> | undefined {
  if (body.params === undefined) return undefined;
  if (!isPlainObject(body.params)) {
    c.add('params', 'Expected object.');
    return undefined;
  }
  return body.params;
}

/** Checks `node_params: { [mermaidId]: { aspect_ratio?, content_url?, model?, model_parameters?, prompt?, resolution? } }`. */
function nodeParams(c: FieldCollector, v: unknown): Record<string, Record<string, unknown>> {
  if (v === undefined) return {};
  if (!isPlainObject(v)) {
    c.add('node_params', 'Expected object.');
    return {};
  }
  for (const [id, p] of Object.entries(v)) {
    if (!isPlainObject(p)) {
      c.add(`node_params.${id}`, 'Expected object.');
      continue;
    }
    for (const [k, value] of Object.entries(p)) {
      const field = `node_params.${id}.${k}`;
      if (!NODE_PARAM_KEYS.includes(k)) c.add(field, 'Unrecognized key.');
      else if (value === null) continue;
      else if (k === 'model_parameters') {
        if (!isPlainObject(value)) c.add(field, 'Expected object or null.');
      } else if (typeof value !== 'string') c.add(field, 'Expected string or null.');
      else if (k === 'content_url' && !isHttpsUrl(value)) c.add(field, 'Expected an https URL.');
    }
  }
  return v as Record<string, Record<string, unknown>>;
}

/**
 * The project-canvas routes: `POST /projects/:id/actions`, `POST /projects/:id/actions/:nodeId/run`,
 * `POST /projects/:id/assets/:assetId/attach`, `GET` and `PATCH /projects/:id/canvas`. Shapes follow the
 * SDK 0.11 types (`projects.actions`, `projects.assets`, `projects.canvas`).
 */
export function canvasRoutes(state: SimulatorState): Record<string, RouteHandler> {
  const ownProject = (ctx: RouteContext): ProjectRecord => {
    const p = state.projects.get(ctx.params.id!);
    if (!p || p.workspace_id !== ctx.workspaceId) throw ApiError.notFound('Project');
    return p;
  };
  const nodesOf = (p: ProjectRecord, now: number): ProjectNode[] => state.projectCanvas(p.project_id, now);
  const addNode = (p: ProjectRecord, node: CanvasNodeRecord): void => {
    state.storedNodes(p.project_id).push(node);
    p.last_modified = Math.max(p.last_modified, node.created_at);
  };

  return {
    'POST /projects/:id/actions': (ctx) => {
      const p = ownProject(ctx);
      const body = bodyObject(ctx.body);
      const c = new FieldCollector();
      const actionId = requiredString(c, body, 'action_id');
      if (actionId !== undefined && !ACTION_SLUG.test(actionId)) {
        c.add('action_id', "Expected a raw action slug such as 'rotate-image'.");
      }
      const params = optionalParams(c, body);
      c.throwIfAny();
      const action = state.actions.find((x) => x.action_id === actionId);
      if (!action) throw ApiError.notFound('Action');
      const node: CanvasNodeRecord = {
        node_id: newId('node'),
        type: 'action',
        created_at: ctx.now,
        label: action.name,
        action_id: action.action_id,
        ...(params ? { params: structuredClone(params) } : {}),
      };
      addNode(p, node);
      return {
        status: 200,
        body: {
          action_id: action.action_id,
          canvas_url: canvasUrl(p.project_id),
          node_id: node.node_id,
          project_id: p.project_id,
        },
      };
    },

    'POST /projects/:id/actions/:nodeId/run': (ctx) => {
      const p = ownProject(ctx);
      const node = state.canvasNodes.get(p.project_id)?.find((n) => n.node_id === ctx.params.nodeId);
      if (node?.type !== 'action') throw ApiError.notFound('Action node');
      const action = state.actions.find((x) => x.action_id === node.action_id);
      if (!action) throw ApiError.notFound('Action');
      // The SDK sends no body (inputs come from the canvas); when `inputs` is given it is checked as on
      // `POST /runs/action`.
      const body = bodyObject(ctx.body);
      const c = new FieldCollector();
      const given = body.inputs === undefined ? undefined : actionInputs(c, body.inputs);
      optionalParams(c, body);
      c.throwIfAny();
      if (given) slotErrors(c, action, given);
      c.throwIfAny();
      return startActionRun(state, ctx, action, p.project_id, node.node_id);
    },

    'POST /projects/:id/assets/:assetId/attach': (ctx) => {
      const p = ownProject(ctx);
      const a = state.assets.get(ctx.params.assetId!);
      if (!a || a.workspace_id !== ctx.workspaceId) throw ApiError.notFound('Asset');
      bodyObject(ctx.body);
      if (a.status !== 'ready') {
        throw new ApiError(
          409,
          'conflict',
          `Asset ${a.asset_id} is ${a.status}; only a ready asset can be attached.`,
        );
      }
      const node: CanvasNodeRecord = {
        node_id: newId('node'),
        type: assetNodeType(a),
        created_at: ctx.now,
        asset_id: a.asset_id,
        url: a.url,
        ...(a.file_name !== null ? { label: a.file_name } : {}),
      };
      addNode(p, node);
      return {
        status: 200,
        body: {
          asset_id: a.asset_id,
          canvas_url: canvasUrl(p.project_id),
          node_id: node.node_id,
          project_id: p.project_id,
        },
      };
    },

    'GET /projects/:id/canvas': (ctx) => {
      const p = ownProject(ctx);
      const nodes = nodesOf(p, ctx.now);
      const edges = state.canvasEdges.get(p.project_id) ?? [];
      return {
        status: 200,
        body: {
          canvas_url: canvasUrl(p.project_id),
          diagram: renderMermaid(nodes, edges),
          project_id: p.project_id,
          summary: canvasSummary(
            nodes.map((n) => n.node_id),
            edges,
          ),
        },
      };
    },

    'PATCH /projects/:id/canvas': (ctx) => {
      const p = ownProject(ctx);
      const body = bodyObject(ctx.body);
      const c = new FieldCollector();
      const diagram = requiredString(c, body, 'diagram');
      const params = nodeParams(c, body.node_params);
      c.throwIfAny();
      const parsed = parseMermaidPatch(diagram!, c.errors);
      const existing = new Map(nodesOf(p, ctx.now).map((n) => [n.node_id, n]));
      const warnings: string[] = [];
      const created = new Map<string, CanvasNodeRecord>();
      for (const n of parsed.nodes.values()) {
        if (existing.has(n.id)) {
          if (n.label !== undefined) {
            warnings.push(
              `Node ${n.id} is already on the canvas; its label was left unchanged (add-only patch).`,
            );
          }
          continue;
        }
        if (n.label === undefined) {
          c.add(
            'diagram',
            `line ${n.line}: node '${n.id}' is not on the canvas; declare it as ${n.id}["Label (Image|Video|Audio|Text)"].`,
          );
          continue;
        }
        const typed = splitTypedLabel(n.label);
        if (!typed) {
          c.add(
            'diagram',
            `line ${n.line}: the label of new node '${n.id}' must end in (Image), (Video), (Audio) or (Text).`,
          );
          continue;
        }
        created.set(n.id, {
          node_id: newId('node'),
          type: typed.type,
          created_at: ctx.now,
          label: typed.label,
        });
      }
      for (const id of Object.keys(params)) {
        if (!parsed.nodes.has(id)) c.add(`node_params.${id}`, `Node '${id}' is not in the diagram.`);
        else if (!created.has(id))
          c.add(`node_params.${id}`, `Node '${id}' is already on the canvas; only new nodes take params.`);
      }
      for (const e of parsed.edges) {
        if (e.from === e.to) c.add('diagram', `line ${e.line}: node '${e.from}' cannot connect to itself.`);
      }
      c.throwIfAny();

      const resolve = (id: string): string => created.get(id)?.node_id ?? id;
      const stored = state.storedEdges(p.project_id);
      const seen = new Set(stored.map((e) => `${e.from} ${e.to}`));
      const newEdges: CanvasEdgeRecord[] = [];
      for (const e of parsed.edges) {
        const edge = { from: resolve(e.from), to: resolve(e.to) };
        const key = `${edge.from} ${edge.to}`;
        if (seen.has(key)) {
          warnings.push(`Edge ${e.from} --> ${e.to} already exists; skipped.`);
          continue;
        }
        seen.add(key);
        newEdges.push(edge);
      }
      for (const [id, node] of created) {
        const np = params[id];
        if (np) node.params = structuredClone(np);
        addNode(p, node);
      }
      stored.push(...newEdges);
      if (newEdges.length > 0) p.last_modified = Math.max(p.last_modified, ctx.now);
      const applied = [
        'graph LR',
        ...[...created.values()].map(mermaidNodeLine),
        ...newEdges.map((e) => `  ${e.from} --> ${e.to}`),
      ].join('\n');
      return {
        status: 200,
        body: {
          canvas_url: canvasUrl(p.project_id),
          created_edge_count: newEdges.length,
          created_node_count: created.size,
          diagram: applied,
          project_id: p.project_id,
          ...(warnings.length > 0 ? { warnings } : {}),
        },
      };
    },
  };
}

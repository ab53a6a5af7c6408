import { BLOCK_TYPES } from '../state/canvasGraph.js';
import type {
  CanvasEdgeRecord,
  CanvasNodeRecord,
  ProjectRecord,
  SimulatorState,
} from '../state/SimulatorState.js';
import { FieldCollector, isHttpsUrl } from './validation.js';

/** Node ids the simulator accepts in a definition (they double as Mermaid ids in `GET /projects/{id}/canvas`). */
const NODE_ID = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `PUT /workspaces/{ws}/projects/{prj}/canvas/definition`: validates `definition` (nodes, edges,
 * node_inputs, node_outputs; SDK `CanvasReplaceDefinitionParams`) and atomically replaces the canvas.
 * Nodes derived from the project's assets and runs are dropped from the canvas by the replace.
 */
export function replaceDefinition(
  state: SimulatorState,
  p: ProjectRecord,
  body: Record<string, unknown>,
  now: number,
): void {
  const c = new FieldCollector();
  for (const k of Object.keys(body)) if (k !== 'definition') c.add(k, 'Unrecognized key.');
  const d = body.definition;
  if (d === undefined) c.add('definition', 'Required');
  else if (!isObject(d)) c.add('definition', 'Expected object.');
  c.throwIfAny();
  const def = d as Record<string, unknown>;
  for (const k of ['nodes', 'edges']) {
    if (!Array.isArray(def[k]))
      c.add(`definition.${k}`, def[k] === undefined ? 'Required' : 'Expected array.');
  }
  for (const k of ['node_inputs', 'node_outputs']) {
    if (!isObject(def[k])) c.add(`definition.${k}`, def[k] === undefined ? 'Required' : 'Expected object.');
  }
  c.throwIfAny();

  const nodes: CanvasNodeRecord[] = [];
  const ids = new Set<string>();
  (def.nodes as unknown[]).forEach((n, i) => {
    const at = `definition.nodes[${i}]`;
    if (!isObject(n)) {
      c.add(at, 'Expected object.');
      return;
    }
    const id = n.id;
    if (typeof id !== 'string' || !NODE_ID.test(id)) {
      c.add(`${at}.id`, 'Expected an id of letters, digits and underscores (not starting with a digit).');
    } else if (ids.has(id)) c.add(`${at}.id`, `Duplicate node id '${id}'.`);
    const type = typeof n.type === 'string' ? BLOCK_TYPES[n.type] : undefined;
    if (type === undefined) {
      c.add(
        `${at}.type`,
        `Unsupported node type ${JSON.stringify(n.type)}: the simulator models ${Object.keys(BLOCK_TYPES).join(', ')}.`,
      );
    }
    if (!isObject(n.data)) c.add(`${at}.data`, n.data === undefined ? 'Required' : 'Expected object.');
    const pos = n.position;
    if (pos !== undefined && (!isObject(pos) || !Number.isFinite(pos.x) || !Number.isFinite(pos.y))) {
      c.add(`${at}.position`, 'Expected { x: number, y: number }.');
    }
    if (typeof id !== 'string' || ids.has(id) || type === undefined || !isObject(n.data)) return;
    ids.add(id);
    const data = n.data;
    const rec: CanvasNodeRecord = { node_id: id, type, created_at: now, block_type: n.type as string };
    if (typeof data.label === 'string') rec.label = data.label;
    if (typeof data.action_id === 'string') rec.action_id = data.action_id;
    if (typeof data.asset_id === 'string') rec.asset_id = data.asset_id;
    if (isObject(pos)) rec.position = { x: pos.x as number, y: pos.y as number };
    nodes.push(rec);
  });
  const byId = new Map(nodes.map((n) => [n.node_id, n]));
  const keyed = (
    k: 'node_inputs' | 'node_outputs',
    fn: (rec: CanvasNodeRecord, v: Record<string, unknown>, at: string) => void,
  ) => {
    for (const [id, v] of Object.entries(def[k] as Record<string, unknown>)) {
      const at = `definition.${k}.${id}`;
      const rec = byId.get(id);
      if (!ids.has(id)) c.add(at, `No node '${id}' in definition.nodes.`);
      else if (!isObject(v)) c.add(at, 'Expected object.');
      else if (rec) fn(rec, v, at);
    }
  };
  keyed('node_inputs', (rec, v, at) => {
    const { prompt, model, params } = v;
    if (prompt !== undefined && prompt !== null) {
      if (typeof prompt !== 'string') c.add(`${at}.prompt`, 'Expected string.');
      else rec.prompt = prompt;
    }
    if (model !== undefined && model !== null) {
      const m = state.models.find((x) => x.model_id === model || x.name === model);
      if (!m)
        c.add(`${at}.model`, `Unknown model ${JSON.stringify(model)}: use a model id from GET /models.`);
      else rec.model = m.model_id;
    }
    if (params !== undefined && params !== null) {
      if (!isObject(params)) c.add(`${at}.params`, 'Expected object.');
      else rec.params = structuredClone(params);
    }
  });
  keyed('node_outputs', (rec, v, at) => {
    if (v.url === undefined || v.url === null) return;
    if (!isHttpsUrl(v.url)) c.add(`${at}.url`, 'Expected an https URL.');
    else rec.url = v.url as string;
  });
  const edges: CanvasEdgeRecord[] = [];
  (def.edges as unknown[]).forEach((e, i) => {
    const at = `definition.edges[${i}]`;
    if (!isObject(e)) {
      c.add(at, 'Expected object.');
      return;
    }
    if (typeof e.id !== 'string' || e.id === '') c.add(`${at}.id`, 'Expected a non-empty string.');
    for (const k of ['source', 'target']) {
      if (typeof e[k] !== 'string' || !ids.has(e[k] as string)) {
        c.add(`${at}.${k}`, `Expected the id of a node in definition.nodes, got ${JSON.stringify(e[k])}.`);
      }
    }
    for (const k of ['source_handle', 'target_handle']) {
      if (e[k] !== undefined && e[k] !== null && typeof e[k] !== 'string')
        c.add(`${at}.${k}`, 'Expected string or null.');
    }
    if (e.source === e.target) c.add(at, 'An edge cannot connect a node to itself.');
    edges.push({
      from: e.source as string,
      to: e.target as string,
      id: e.id as string,
      ...(typeof e.target_handle === 'string' ? { in: e.target_handle } : {}),
    });
  });
  c.throwIfAny();

  // Replace: derived nodes leave the canvas, stored nodes and edges are swapped wholesale.
  const hidden = state.hiddenNodesOf(p.project_id);
  const stored = new Set((state.canvasNodes.get(p.project_id) ?? []).map((n) => n.node_id));
  for (const n of state.projectCanvas(p.project_id, now)) if (!stored.has(n.node_id)) hidden.add(n.node_id);
  state.canvasNodes.set(p.project_id, nodes);
  state.canvasEdges.set(p.project_id, edges);
  p.last_modified = Math.max(p.last_modified, now);
}

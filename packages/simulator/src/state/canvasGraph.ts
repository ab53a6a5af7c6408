import { createHash } from 'node:crypto';
import { stableStringify } from '../idempotency/stableStringify.js';
import { runView } from '../runs/RunRecord.js';
import { canvasSummary } from './mermaid.js';
import type { ProjectNode } from './projectNodes.js';
import type { CanvasEdgeRecord, CanvasNodeRecord, SimulatorState } from './SimulatorState.js';

/** Node types a workspace canvas changeset / definition creates a generation node for. */
export type MediaNodeType = 'image' | 'video' | 'audio' | 'text';

/** FLORA definition block types the simulator models, and the graph ("agent vocabulary") type of each. */
export const BLOCK_TYPES: Readonly<Record<string, CanvasNodeRecord['type']>> = {
  emptyImageBlock: 'image',
  staticImageBlock: 'image',
  resultImageBlock: 'image',
  outpaintImageBlock: 'image',
  inpaintImageBlock: 'image',
  videoBlock: 'video',
  staticVideoBlock: 'video',
  resultVideoBlock: 'video',
  audioBlock: 'audio',
  staticAudioBlock: 'audio',
  resultAudioBlock: 'audio',
  textBlock: 'text',
  resultTextBlock: 'text',
  documentNode: 'file',
  codeBlock: 'action',
};

/** The block type a node reports in the definition read when none was given (a guess; see README). */
function blockTypeOf(type: CanvasNodeRecord['type'], isStatic: boolean): string {
  switch (type) {
    case 'image':
      return isStatic ? 'staticImageBlock' : 'emptyImageBlock';
    case 'video':
      return isStatic ? 'staticVideoBlock' : 'videoBlock';
    case 'audio':
      return isStatic ? 'staticAudioBlock' : 'audioBlock';
    case 'text':
      return 'textBlock';
    case 'file':
      return 'documentNode';
    default:
      return 'codeBlock';
  }
}

/** The generation settings of a stored node: prompt, model id and the remaining model parameters. */
export function nodeConfig(n: CanvasNodeRecord | undefined): {
  prompt: string | null;
  modelId: string | null;
  params: Record<string, unknown> | null;
} {
  if (!n || n.type === 'action') return { prompt: null, modelId: null, params: null };
  const { prompt, model, content_url: _url, ...rest } = n.params ?? {};
  const p = n.prompt ?? (typeof prompt === 'string' ? prompt : null);
  const m = n.model ?? (typeof model === 'string' ? model : null);
  return { prompt: p, modelId: m, params: Object.keys(rest).length > 0 ? rest : null };
}

/** A live canvas: listed nodes, their stored records (absent for derived nodes), and edges. */
export interface LiveCanvas {
  nodes: ProjectNode[];
  stored: Map<string, CanvasNodeRecord>;
  edges: CanvasEdgeRecord[];
}

export function liveCanvas(state: SimulatorState, projectId: string, now: number): LiveCanvas {
  return {
    nodes: state.projectCanvas(projectId, now),
    stored: new Map((state.canvasNodes.get(projectId) ?? []).map((n) => [n.node_id, n])),
    edges: state.canvasEdges.get(projectId) ?? [],
  };
}

/** Deterministic automatic layout for nodes without a stored position: a 4-wide grid. */
const autoPosition = (i: number): { x: number; y: number } => ({
  x: (i % 4) * 320,
  y: Math.floor(i / 4) * 320,
});

/** Status of a node from its latest run (stored nodes run in place; derived run nodes from their run). */
function statusOf(
  state: SimulatorState,
  node: ProjectNode,
  now: number,
): { status: 'idle' | 'generating' | 'done' | 'error' | null; error_code?: string; error_message?: string } {
  if (node.type === 'file') return { status: null };
  let latest: Record<string, unknown> | undefined;
  for (const r of state.runs.values()) {
    if (
      r.canvasNodeId === node.node_id ||
      (r.canvasNodeId === undefined && `node_${r.runId.slice(4)}` === node.node_id)
    ) {
      latest = runView(r, now);
    }
  }
  if (!latest) return { status: node.url !== undefined ? 'done' : 'idle' };
  if (latest.status === 'pending' || latest.status === 'running') return { status: 'generating' };
  if (latest.status === 'failed') {
    return {
      status: 'error',
      error_code: latest.error_code as string,
      error_message: latest.error_message as string,
    };
  }
  return { status: 'done' };
}

/** An opaque change marker: a hash of everything the graph read reports. */
const revisionOf = (nodes: unknown, edges: unknown): string =>
  `rev_${createHash('sha256').update(stableStringify({ nodes, edges })).digest('hex').slice(0, 24)}`;

/** The body of `GET /workspaces/{ws}/projects/{prj}/graph` (SDK `ProjectGraphResponse`, minus `canvas_url`). */
export function projectGraph(
  state: SimulatorState,
  projectId: string,
  now: number,
): { nodes: Record<string, unknown>[]; edges: Record<string, unknown>[]; revision: string } {
  const live = liveCanvas(state, projectId, now);
  const nodes = live.nodes.map((node, i) => {
    const rec = live.stored.get(node.node_id);
    const cfg = nodeConfig(rec);
    const model = cfg.modelId ? state.models.find((m) => m.model_id === cfg.modelId) : undefined;
    const status = statusOf(state, node, now);
    const out: Record<string, unknown> = {
      id: state.shortId(projectId, node.node_id),
      action:
        node.type === 'action'
          ? { action_id: node.action_id ?? null, params: rec?.params ? structuredClone(rec.params) : null }
          : null,
      label: node.label ?? node.action_id ?? node.asset_id ?? node.node_id,
      model: model?.name ?? cfg.modelId,
      model_id: cfg.modelId,
      node_id: node.node_id,
      output_text: null,
      output_url: node.url ?? null,
      params: cfg.params ? structuredClone(cfg.params) : null,
      position: rec?.position ? { ...rec.position } : autoPosition(i),
      prompt: cfg.prompt,
      type: node.type,
      ...status,
    };
    return out;
  });
  const short = (id: string): string => state.shortId(projectId, id);
  const edges = live.edges.map((e) => ({ from: short(e.from), to: short(e.to), in: e.in ?? null }));
  return { nodes, edges, revision: revisionOf(nodes, edges) };
}

/** The `definition` and `summary` of `GET|PUT /workspaces/{ws}/projects/{prj}/canvas/definition`. */
export function canvasDefinition(
  state: SimulatorState,
  projectId: string,
  now: number,
): { definition: Record<string, unknown>; summary: Record<string, number> } {
  const live = liveCanvas(state, projectId, now);
  const node_inputs: Record<string, Record<string, unknown>> = {};
  const node_outputs: Record<string, Record<string, unknown>> = {};
  const nodes = live.nodes.map((node, i) => {
    const rec = live.stored.get(node.node_id);
    const cfg = nodeConfig(rec);
    const isStatic = node.asset_id !== undefined || (rec !== undefined && rec.url !== undefined);
    const inputs: Record<string, unknown> = {};
    if (cfg.prompt !== null) inputs.prompt = cfg.prompt;
    if (cfg.modelId !== null) inputs.model = cfg.modelId;
    if (cfg.params !== null) inputs.params = structuredClone(cfg.params);
    if (node.type === 'action' && rec?.params) inputs.params = structuredClone(rec.params);
    if (Object.keys(inputs).length > 0) node_inputs[node.node_id] = inputs;
    if (node.url !== undefined) node_outputs[node.node_id] = { url: node.url };
    const data: Record<string, unknown> = {};
    if (node.label !== undefined) data.label = node.label;
    if (node.asset_id !== undefined) data.asset_id = node.asset_id;
    if (node.action_id !== undefined) data.action_id = node.action_id;
    return {
      id: node.node_id,
      data,
      position: rec?.position ? { ...rec.position } : autoPosition(i),
      type: rec?.block_type ?? blockTypeOf(node.type, isStatic),
    };
  });
  const edges = live.edges.map((e) => ({
    id:
      e.id ??
      `edge_${createHash('sha256')
        .update(`${e.from} ${e.to} ${e.in ?? ''}`)
        .digest('hex')
        .slice(0, 16)}`,
    source: e.from,
    source_handle: null,
    target: e.to,
    target_handle: e.in ?? null,
  }));
  return {
    definition: { edges, node_inputs, node_outputs, nodes },
    summary: canvasSummary(
      live.nodes.map((n) => n.node_id),
      live.edges,
    ),
  };
}

/** The node_id a reference names on a live canvas: its short id (`n3`) or its node_id. */
export function resolveNodeRef(
  state: SimulatorState,
  projectId: string,
  live: LiveCanvas,
  ref: string,
): string | undefined {
  if (live.nodes.some((n) => n.node_id === ref)) return ref;
  for (const [nodeId, short] of state.shortIds.get(projectId) ?? []) {
    if (short === ref && live.nodes.some((n) => n.node_id === nodeId)) return nodeId;
  }
  return undefined;
}

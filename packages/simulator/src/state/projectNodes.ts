import { type RunRecord, runView } from '../runs/RunRecord.js';
import type { AssetRecord, CanvasNodeRecord } from './SimulatorState.js';

/** A canvas node as `GET /projects/{id}/nodes` lists it. */
export interface ProjectNode {
  node_id: string;
  type: 'image' | 'video' | 'audio' | 'text' | 'file' | 'action';
  asset_id?: string;
  url?: string;
  label?: string;
  /** For `type: 'action'` nodes (a simulator addition to the SDK's node shape). */
  action_id?: string;
}

const NODE_TYPE_OF_OUTPUT: Record<RunRecord['outputType'], ProjectNode['type']> = {
  imageUrl: 'image',
  videoUrl: 'video',
  audioUrl: 'audio',
  text: 'text',
};

const nodeId = (sourceId: string): string => `node_${sourceId.slice(sourceId.indexOf('_') + 1)}`;

/** The canvas node type of an asset, from its content type (`image/png` → `image`; others → `file`). */
export function assetNodeType(a: AssetRecord): ProjectNode['type'] {
  const major = a.content_type?.split('/')[0];
  return major === 'image' || major === 'video' || major === 'audio' ? major : 'file';
}

function assetNode(a: AssetRecord): ProjectNode {
  const node: ProjectNode = {
    node_id: nodeId(a.asset_id),
    type: assetNodeType(a),
    asset_id: a.asset_id,
    url: a.url,
  };
  if (a.file_name !== null) node.label = a.file_name;
  return node;
}

/** The first non-text output URL of a completed run, if any. */
function outputUrl(run: RunRecord, now: number): string | undefined {
  const out = (runView(run, now).outputs as { url: string }[] | undefined)?.[0];
  return out && run.outputType !== 'text' ? out.url : undefined;
}

function runNode(run: RunRecord, now: number): ProjectNode {
  const node: ProjectNode = {
    node_id: nodeId(run.runId),
    type: NODE_TYPE_OF_OUTPUT[run.outputType],
    label: run.modelId ?? run.actionId ?? run.techniqueName ?? run.runId,
  };
  const url = outputUrl(run, now);
  if (url !== undefined) node.url = url;
  return node;
}

/** A stored node as listed; a node run in place (action node, or a generation node run by `nodes/run`) shows the output `url` of its latest completed run. */
function storedNode(n: CanvasNodeRecord, runs: readonly RunRecord[], now: number): ProjectNode {
  const node: ProjectNode = { node_id: n.node_id, type: n.type };
  if (n.asset_id !== undefined) node.asset_id = n.asset_id;
  if (n.action_id !== undefined) node.action_id = n.action_id;
  let url = n.url;
  for (const r of runs) if (r.canvasNodeId === n.node_id) url = outputUrl(r, now) ?? url;
  if (url !== undefined) node.url = url;
  if (n.label !== undefined) node.label = n.label;
  return node;
}

/**
 * The simulator's stand-in for a project's canvas, oldest first: the nodes stored on it (action nodes
 * from `POST /projects/{id}/actions`, assets attached with `POST /projects/{id}/assets/{assetId}/attach`,
 * nodes added by `PATCH /projects/{id}/canvas`), plus one derived node per asset created with that
 * `project_id` and one per run started in it (generations, technique and headless action runs; runs of a
 * stored action node show on that node instead). Derived node ids come from the source id
 * (`asset_abc` → `node_abc`), so they are stable across calls and pages. Derived node ids in `hidden`
 * (removed through the workspace canvas routes) are left out.
 */
export function projectNodes(
  projectId: string,
  assets: Iterable<AssetRecord>,
  runs: Iterable<RunRecord>,
  stored: readonly CanvasNodeRecord[],
  now: number,
  hidden?: ReadonlySet<string>,
): ProjectNode[] {
  const projectRuns = [...runs].filter((r) => r.projectId === projectId);
  const items: { at: number; node: ProjectNode }[] = [];
  const shown = (n: ProjectNode): boolean => !hidden?.has(n.node_id);
  for (const a of assets) {
    if (a.project_id !== projectId) continue;
    const node = assetNode(a);
    if (shown(node)) items.push({ at: a.created_at, node });
  }
  for (const r of projectRuns) {
    if (r.canvasNodeId !== undefined) continue;
    const node = runNode(r, now);
    if (shown(node)) items.push({ at: r.createdAt, node });
  }
  for (const n of stored) items.push({ at: n.created_at, node: storedNode(n, projectRuns, now) });
  return items.sort((x, y) => x.at - y.at).map((x) => x.node);
}

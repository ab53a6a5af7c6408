import { type RunRecord, runView } from '../runs/RunRecord.js';
import type { AssetRecord } from './SimulatorState.js';

/** A canvas node as `GET /projects/{id}/nodes` lists it. */
export interface ProjectNode {
  node_id: string;
  type: 'image' | 'video' | 'audio' | 'text' | 'file';
  asset_id?: string;
  url?: string;
  label?: string;
}

const NODE_TYPE_OF_OUTPUT: Record<RunRecord['outputType'], ProjectNode['type']> = {
  imageUrl: 'image',
  videoUrl: 'video',
  audioUrl: 'audio',
  text: 'text',
};

const nodeId = (sourceId: string): string => `node_${sourceId.slice(sourceId.indexOf('_') + 1)}`;

function assetNode(a: AssetRecord): ProjectNode {
  const major = a.content_type?.split('/')[0];
  const type = major === 'image' || major === 'video' || major === 'audio' ? major : 'file';
  const node: ProjectNode = { node_id: nodeId(a.asset_id), type, asset_id: a.asset_id, url: a.url };
  if (a.file_name !== null) node.label = a.file_name;
  return node;
}

function runNode(run: RunRecord, now: number): ProjectNode {
  const node: ProjectNode = {
    node_id: nodeId(run.runId),
    type: NODE_TYPE_OF_OUTPUT[run.outputType],
    label: run.modelId ?? run.actionId ?? run.techniqueName ?? run.runId,
  };
  const out = (runView(run, now).outputs as { url: string }[] | undefined)?.[0];
  if (out && run.outputType !== 'text') node.url = out.url;
  return node;
}

/**
 * The simulator's stand-in for a project's canvas: one node per asset created with that `project_id` and
 * one per run started in it (generations, technique and action runs), oldest first. Node ids derive from
 * the source id (`asset_abc` → `node_abc`), so they are stable across calls and pages.
 */
export function projectNodes(
  projectId: string,
  assets: Iterable<AssetRecord>,
  runs: Iterable<RunRecord>,
  now: number,
): ProjectNode[] {
  const items: { at: number; node: ProjectNode }[] = [];
  for (const a of assets)
    if (a.project_id === projectId) items.push({ at: a.created_at, node: assetNode(a) });
  for (const r of runs) if (r.projectId === projectId) items.push({ at: r.createdAt, node: runNode(r, now) });
  return items.sort((x, y) => x.at - y.at).map((x) => x.node);
}

import type { FieldError } from '../http/ApiError.js';
import type { ProjectNode } from './projectNodes.js';
import type { CanvasEdgeRecord } from './SimulatorState.js';

/** The Mermaid label suffix of each node type: `"Product photo (Image)"`. */
const TYPE_WORD: Record<ProjectNode['type'], string> = {
  image: 'Image',
  video: 'Video',
  audio: 'Audio',
  text: 'Text',
  file: 'File',
  action: 'Action',
};

/** The node types a canvas patch may create (action nodes come from `POST /projects/{id}/actions`). */
const PATCH_TYPES: Record<string, 'image' | 'video' | 'audio' | 'text'> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  text: 'text',
};

/** A Mermaid-safe label (double quotes become `#quot;`, newlines spaces). */
const escapeLabel = (s: string): string => s.replace(/"/g, '#quot;').replace(/[\r\n]+/g, ' ');

/** One node declaration line: `node_abc["Label (Image)"]`. */
export function mermaidNodeLine(
  node: Pick<ProjectNode, 'node_id' | 'type' | 'label' | 'action_id' | 'asset_id'>,
): string {
  const label = node.label ?? node.action_id ?? node.asset_id ?? node.node_id;
  return `  ${node.node_id}["${escapeLabel(label)} (${TYPE_WORD[node.type]})"]`;
}

/** A `graph LR` flowchart: one declaration per node (Mermaid id = `node_id`), then one line per edge. */
export function renderMermaid(
  nodes: readonly Pick<ProjectNode, 'node_id' | 'type' | 'label' | 'action_id' | 'asset_id'>[],
  edges: readonly CanvasEdgeRecord[],
): string {
  return ['graph LR', ...nodes.map(mermaidNodeLine), ...edges.map((e) => `  ${e.from} --> ${e.to}`)].join(
    '\n',
  );
}

/** `node_count`, `edge_count`, `group_count`, `isolated_node_count`, `workflow_count` of a canvas. */
export function canvasSummary(
  nodeIds: readonly string[],
  edges: readonly CanvasEdgeRecord[],
): Record<string, number> {
  const parent = new Map(nodeIds.map((id) => [id, id]));
  const find = (id: string): string => {
    let r = id;
    while (parent.get(r) !== r) r = parent.get(r)!;
    return r;
  };
  const linked = new Set<string>();
  for (const e of edges) {
    linked.add(e.from);
    linked.add(e.to);
    if (parent.has(e.from) && parent.has(e.to)) parent.set(find(e.from), find(e.to));
  }
  const workflows = new Set([...linked].filter((id) => parent.has(id)).map(find));
  return {
    node_count: nodeIds.length,
    edge_count: edges.length,
    group_count: 0,
    isolated_node_count: nodeIds.filter((id) => !linked.has(id)).length,
    workflow_count: workflows.size,
  };
}

/** A node a patch mentions: its Mermaid id, and the label and line of its first labelled declaration. */
export interface PatchNode {
  id: string;
  label?: string;
  line: number;
}

/** A parsed add-only patch: mentioned nodes (in order of first mention) and edges. */
export interface ParsedPatch {
  nodes: Map<string, PatchNode>;
  edges: { from: string; to: string; line: number }[];
}

const HEADER = /^(?:graph|flowchart)(?:\s+(?:LR|RL|TB|TD|BT))?\s*;?$/;
const NODE = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[\s*"([^"]*)"\s*\]|\[([^\]"[]*)\])?$/;

/**
 * Parses the subset of a Mermaid flowchart a canvas patch may use: a `graph`/`flowchart` header, node
 * declarations (`id`, `id[Label]`, `id["Label (Image)"]`), and `a --> b` edges (chains allowed, nodes may
 * be declared inline). `%%` comments and blank lines are skipped; anything else (subgraphs, styles,
 * other arrow kinds, removals) is an error, since the patch is add-only. Errors use field `diagram`.
 */
export function parseMermaidPatch(diagram: string, errors: FieldError[]): ParsedPatch {
  const out: ParsedPatch = { nodes: new Map(), edges: [] };
  const fail = (line: number, message: string): void => {
    errors.push({ field: 'diagram', message: `line ${line}: ${message}` });
  };
  const mention = (text: string, line: number): string | undefined => {
    const m = NODE.exec(text.trim());
    if (!m) {
      fail(line, `cannot parse node '${text.trim()}'.`);
      return undefined;
    }
    const id = m[1]!;
    const label = (m[2] ?? m[3])?.trim();
    const prior = out.nodes.get(id);
    if (!prior) out.nodes.set(id, { id, line, ...(label !== undefined ? { label } : {}) });
    else if (label !== undefined) {
      if (prior.label === undefined) {
        prior.label = label;
        prior.line = line;
      } else if (prior.label !== label) {
        fail(line, `node '${id}' is declared twice with different labels.`);
      }
    }
    return id;
  };
  let headerSeen = false;
  diagram.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const text = raw.trim();
    if (text === '' || text.startsWith('%%')) return;
    if (!headerSeen) {
      headerSeen = true;
      if (!HEADER.test(text)) fail(line, "expected a 'graph LR' or 'flowchart <direction>' header.");
      return;
    }
    const statement = text.endsWith(';') ? text.slice(0, -1) : text;
    if (statement.includes('-->')) {
      const parts = statement.split('-->');
      const ids = parts.map((p) => mention(p, line));
      for (let k = 0; k + 1 < ids.length; k++) {
        const from = ids[k];
        const to = ids[k + 1];
        if (from !== undefined && to !== undefined) out.edges.push({ from, to, line });
      }
      return;
    }
    if (NODE.test(statement)) {
      mention(statement, line);
      return;
    }
    fail(
      line,
      `unsupported statement '${statement}': an add-only patch takes node declarations and 'a --> b' edges only.`,
    );
  });
  if (!headerSeen) errors.push({ field: 'diagram', message: "Expected a Mermaid flowchart ('graph LR' …)." });
  return out;
}

/** Splits `"Product photo (Image)"` into its label and the node type a patch may create. */
export function splitTypedLabel(
  label: string,
): { label: string; type: 'image' | 'video' | 'audio' | 'text' } | undefined {
  const m = /^(.*?)\s*\(([A-Za-z]+)\)$/.exec(label);
  const type = m ? PATCH_TYPES[m[2]!.toLowerCase()] : undefined;
  if (!m || !type || m[1]!.trim() === '') return undefined;
  return { label: m[1]!.trim(), type };
}

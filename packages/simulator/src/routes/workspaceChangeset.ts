import { newId } from '../http/newId.js';
import { liveCanvas, type MediaNodeType, resolveNodeRef } from '../state/canvasGraph.js';
import type { ModelDefinition } from '../state/catalog.js';
import type {
  CanvasEdgeRecord,
  CanvasNodeRecord,
  ProjectRecord,
  SimulatorState,
} from '../state/SimulatorState.js';
import { FieldCollector, isHttpsUrl } from './validation.js';

/**
 * Machine-readable causes carried in `fields[].code` of a rejected changeset. FLORA's SDK docstring says
 * "every cause is reported with a machine-readable code in the error's fields array" but names none; these
 * are the simulator's own (see README, Limits).
 */
export const CHANGESET_CODES = [
  'invalid_type',
  'required',
  'unrecognized_key',
  'unsupported_node_type',
  'invalid_value',
  'mutually_exclusive',
  'unknown_model',
  'model_type_mismatch',
  'duplicate_ref',
  'ref_collides_with_node',
  'node_not_found',
  'node_not_editable',
  'duplicate_update',
  'self_connection',
] as const;
type Code = (typeof CHANGESET_CODES)[number];

const ADD_TYPES: Readonly<Record<string, MediaNodeType>> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  text: 'text',
  static_image: 'image',
};
const OPS = ['add', 'update', 'connect', 'disconnect', 'remove'] as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Result of an applied changeset (SDK `CanvasApplyChangesetResponse` minus ids and revision). */
export interface ChangesetResult {
  applied: { added: number; connected: number; disconnected: number; removed: number; updated: number };
  created: Record<string, { id: string; node_id: string }>;
  warnings: string[];
}

/**
 * Validates a whole changeset, then applies it as one transaction: add, update, connect, disconnect,
 * remove. Any invalid operation rejects everything with a 400 whose `fields` items carry a `code`.
 */
export function applyChangeset(
  state: SimulatorState,
  p: ProjectRecord,
  body: Record<string, unknown>,
  now: number,
): ChangesetResult {
  const c = new FieldCollector();
  const err = (field: string, message: string, code: Code): void => c.add(field, message, code);
  const live = liveCanvas(state, p.project_id, now);
  for (const k of Object.keys(body)) {
    if (!(OPS as readonly string[]).includes(k)) err(k, 'Unrecognized key.', 'unrecognized_key');
  }
  const extraKeys = (o: Record<string, unknown>, at: string, allowed: readonly string[]): void => {
    for (const k of Object.keys(o))
      if (!allowed.includes(k)) err(`${at}.${k}`, 'Unrecognized key.', 'unrecognized_key');
  };
  const list = (op: (typeof OPS)[number]): Record<string, unknown>[] => {
    const v = body[op];
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      err(op, 'Expected array.', 'invalid_type');
      return [];
    }
    return v.map((item: unknown, i) => {
      if (isObject(item)) return item;
      err(`${op}[${i}]`, 'Expected object.', 'invalid_type');
      return {};
    });
  };
  const str = (
    o: Record<string, unknown>,
    key: string,
    field: string,
    required: boolean,
  ): string | undefined => {
    const v = o[key];
    if (v === undefined) {
      if (required) err(field, 'Required', 'required');
      return undefined;
    }
    if (typeof v !== 'string' || v.trim() === '') {
      err(field, 'Expected a non-empty string.', 'invalid_type');
      return undefined;
    }
    return v;
  };
  const position = (o: Record<string, unknown>, field: string): { x: number; y: number } | undefined => {
    const v = o.position;
    if (v === undefined) return undefined;
    if (!isObject(v) || !Number.isFinite(v.x) || !Number.isFinite(v.y)) {
      err(field, 'Expected { x: number, y: number }.', 'invalid_type');
      return undefined;
    }
    return { x: v.x as number, y: v.y as number };
  };
  const params = (o: Record<string, unknown>, field: string): Record<string, unknown> | undefined => {
    if (o.params === undefined) return undefined;
    if (!isObject(o.params)) {
      err(field, 'Expected object.', 'invalid_type');
      return undefined;
    }
    return o.params;
  };
  const model = (
    name: string | undefined,
    type: CanvasNodeRecord['type'],
    field: string,
  ): ModelDefinition | undefined => {
    if (name === undefined) return undefined;
    const m = state.models.find((x) => x.model_id === name || x.name === name);
    if (!m) err(field, `Unknown model '${name}': use a model id or name from GET /models.`, 'unknown_model');
    else if (m.type !== type)
      err(field, `Model '${m.model_id}' generates ${m.type}, not ${type}.`, 'model_type_mismatch');
    return m;
  };

  // ---- add ----
  const refs = new Map<string, CanvasNodeRecord>();
  list('add').forEach((a, i) => {
    const at = `add[${i}]`;
    extraKeys(a, at, [
      'ref',
      'type',
      'content_url',
      'group',
      'label',
      'model',
      'params',
      'position',
      'prompt',
    ]);
    const ref = str(a, 'ref', `${at}.ref`, true);
    if (ref !== undefined) {
      if (refs.has(ref)) err(`${at}.ref`, `Ref '${ref}' is declared twice.`, 'duplicate_ref');
      else if (resolveNodeRef(state, p.project_id, live, ref) !== undefined)
        err(`${at}.ref`, `Ref '${ref}' collides with a live node id.`, 'ref_collides_with_node');
    }
    let type: MediaNodeType | undefined;
    if (a.type === undefined) err(`${at}.type`, 'Required', 'required');
    else if (a.type === 'group' || a.type === 'layer_editor')
      err(
        `${at}.type`,
        `Node type '${String(a.type)}' is not modelled by the simulator.`,
        'unsupported_node_type',
      );
    else if (typeof a.type !== 'string' || !ADD_TYPES[a.type])
      err(
        `${at}.type`,
        "Expected 'image', 'video', 'text', 'audio', 'group', 'static_image' or 'layer_editor'.",
        'invalid_value',
      );
    else type = ADD_TYPES[a.type];
    if (a.group !== undefined)
      err(`${at}.group`, 'Groups are not modelled by the simulator.', 'unsupported_node_type');
    const label = str(a, 'label', `${at}.label`, false);
    const prompt = str(a, 'prompt', `${at}.prompt`, false);
    const modelName = str(a, 'model', `${at}.model`, false);
    const ps = params(a, `${at}.params`);
    const pos = position(a, `${at}.position`);
    let url: string | undefined;
    if (a.content_url !== undefined) {
      if (!isHttpsUrl(a.content_url)) err(`${at}.content_url`, 'Expected an https URL.', 'invalid_value');
      else url = a.content_url as string;
      if (type === 'text') err(`${at}.content_url`, 'A text node takes no content_url.', 'invalid_value');
      for (const k of ['prompt', 'model', 'params'])
        if (a[k] !== undefined)
          err(`${at}.${k}`, `${k} is mutually exclusive with content_url.`, 'mutually_exclusive');
    } else if (a.type === 'static_image') {
      err(`${at}.content_url`, "A 'static_image' node needs a content_url.", 'required');
    }
    if (ref === undefined || type === undefined) return;
    const m =
      url === undefined
        ? (model(modelName, type, `${at}.model`) ?? state.models.find((x) => x.type === type))
        : undefined;
    refs.set(ref, {
      node_id: newId('node'),
      type,
      created_at: now,
      ...(label !== undefined ? { label } : {}),
      ...(url !== undefined ? { url } : {}),
      ...(prompt !== undefined ? { prompt } : {}),
      ...(m ? { model: m.model_id } : {}),
      ...(ps ? { params: structuredClone(ps) } : {}),
      ...(pos ? { position: pos } : {}),
    });
  });

  // ---- update ----
  const updates: {
    rec: CanvasNodeRecord;
    set: Partial<CanvasNodeRecord>;
    merge?: Record<string, unknown>;
  }[] = [];
  const updated = new Set<string>();
  list('update').forEach((u, i) => {
    const at = `update[${i}]`;
    extraKeys(u, at, ['id', 'label', 'model', 'params', 'position', 'prompt']);
    const id = str(u, 'id', `${at}.id`, true);
    const nodeId = id === undefined ? undefined : resolveNodeRef(state, p.project_id, live, id);
    if (id !== undefined && nodeId === undefined)
      err(`${at}.id`, `No node '${id}' on this canvas.`, 'node_not_found');
    const rec = nodeId === undefined ? undefined : live.stored.get(nodeId);
    if (nodeId !== undefined && !rec)
      err(
        `${at}.id`,
        `Node '${id}' is derived from an asset or run and cannot be edited in the simulator.`,
        'node_not_editable',
      );
    if (nodeId !== undefined && updated.has(nodeId))
      err(`${at}.id`, `Node '${id}' is updated twice; send one operation per node.`, 'duplicate_update');
    if (nodeId !== undefined) updated.add(nodeId);
    const label = str(u, 'label', `${at}.label`, false);
    const prompt = str(u, 'prompt', `${at}.prompt`, false);
    const m = model(str(u, 'model', `${at}.model`, false), rec?.type ?? 'image', `${at}.model`);
    const ps = params(u, `${at}.params`);
    const pos = position(u, `${at}.position`);
    if (!rec) return;
    const set: Partial<CanvasNodeRecord> = {
      ...(label !== undefined ? { label } : {}),
      ...(prompt !== undefined ? { prompt } : {}),
      ...(m ? { model: m.model_id } : {}),
      ...(pos ? { position: pos } : {}),
    };
    updates.push({ rec, set, ...(ps ? { merge: ps } : {}) });
  });

  // ---- connect / disconnect / remove ----
  const endpoint = (v: string | undefined, field: string): string | undefined => {
    if (v === undefined) return undefined;
    const id = refs.get(v)?.node_id ?? resolveNodeRef(state, p.project_id, live, v);
    if (id === undefined) err(field, `No node or ref '${v}' on this canvas.`, 'node_not_found');
    return id;
  };
  const pairs = (op: 'connect' | 'disconnect'): { from: string; to: string; in?: string; label: string }[] =>
    list(op).flatMap((e, i) => {
      const at = `${op}[${i}]`;
      extraKeys(e, at, ['from', 'to', 'in']);
      const fromRef = str(e, 'from', `${at}.from`, true);
      const toRef = str(e, 'to', `${at}.to`, true);
      const slot = str(e, 'in', `${at}.in`, false);
      const from = endpoint(fromRef, `${at}.from`);
      const to = endpoint(toRef, `${at}.to`);
      if (from === undefined || to === undefined) return [];
      if (op === 'connect' && from === to) {
        err(at, `Node '${fromRef}' cannot connect to itself.`, 'self_connection');
        return [];
      }
      return [{ from, to, ...(slot !== undefined ? { in: slot } : {}), label: `${fromRef} -> ${toRef}` }];
    });
  const connects = pairs('connect');
  const disconnects = pairs('disconnect');
  const removes = list('remove').flatMap((r, i) => {
    const at = `remove[${i}]`;
    extraKeys(r, at, ['id']);
    const id = str(r, 'id', `${at}.id`, true);
    if (id === undefined) return [];
    const nodeId = resolveNodeRef(state, p.project_id, live, id);
    if (nodeId === undefined) {
      err(`${at}.id`, `No node '${id}' on this canvas.`, 'node_not_found');
      return [];
    }
    return [nodeId];
  });
  c.throwIfAny();

  // ---- apply (nothing above mutated state) ----
  const result: ChangesetResult = {
    applied: { added: 0, connected: 0, disconnected: 0, removed: 0, updated: 0 },
    created: {},
    warnings: [],
  };
  const stored = state.storedNodes(p.project_id);
  for (const [ref, rec] of refs) {
    stored.push(rec);
    result.created[ref] = { id: state.shortId(p.project_id, rec.node_id), node_id: rec.node_id };
    result.applied.added++;
  }
  for (const { rec, set, merge } of updates) {
    const before = JSON.stringify(rec);
    Object.assign(rec, set);
    if (merge) rec.params = { ...rec.params, ...structuredClone(merge) };
    if (JSON.stringify(rec) !== before) result.applied.updated++;
    else
      result.warnings.push(
        `Update of node ${state.shortId(p.project_id, rec.node_id)} matches its current state.`,
      );
  }
  let edges = state.storedEdges(p.project_id);
  for (const e of connects) {
    if (edges.some((x) => x.from === e.from && x.to === e.to)) {
      result.warnings.push(`Edge ${e.label} already exists; skipped.`);
      continue;
    }
    const edge: CanvasEdgeRecord = { from: e.from, to: e.to, ...(e.in !== undefined ? { in: e.in } : {}) };
    edges.push(edge);
    result.applied.connected++;
  }
  for (const e of disconnects) {
    const keep = edges.filter(
      (x) => !(x.from === e.from && x.to === e.to && (e.in === undefined || x.in === e.in)),
    );
    if (keep.length === edges.length) result.warnings.push(`No edge ${e.label} to disconnect.`);
    result.applied.disconnected += edges.length - keep.length;
    edges = keep;
  }
  const gone = new Set(removes);
  for (const nodeId of gone) {
    const i = stored.findIndex((n) => n.node_id === nodeId);
    if (i >= 0) stored.splice(i, 1);
    else state.hiddenNodesOf(p.project_id).add(nodeId);
    result.applied.removed++;
  }
  edges = edges.filter((x) => !gone.has(x.from) && !gone.has(x.to));
  state.canvasEdges.set(p.project_id, edges);
  const a = result.applied;
  if (a.added + a.updated + a.connected + a.disconnected + a.removed > 0)
    p.last_modified = Math.max(p.last_modified, now);
  return result;
}

import { API_PREFIX } from '../constants.js';
import { ApiError } from '../http/ApiError.js';
import { newId } from '../http/newId.js';
import type { ResolvedOptions } from '../options/resolveOptions.js';
import type { Prng } from '../prng/createPrng.js';
import type { NewRun, RunRecord } from '../runs/RunRecord.js';
import type { StatsRecorder } from '../stats/StatsRecorder.js';
import {
  type ActionDefinition,
  DEFAULT_ACTIONS,
  type ModelDefinition,
  type TechniqueDefinition,
} from './catalog.js';
import { type ProjectNode, projectNodes } from './projectNodes.js';

/** A stored project. */
export interface ProjectRecord {
  project_id: string;
  name: string;
  workspace_id: string;
  created_at: number;
  last_modified: number;
  origin: 'api';
}

/** A stored asset. */
export interface AssetRecord {
  asset_id: string;
  workspace_id: string;
  project_id: string | null;
  status: 'pending_upload' | 'ready' | 'failed';
  uploaded_via: 'url' | 'signed_url';
  url: string;
  content_type: string | null;
  file_name: string | null;
  created_at: number;
  expires_at: number | null;
  failure_message: string | null;
}

/** A node stored on a project's canvas (action nodes, attached assets, nodes added by a canvas patch). */
export interface CanvasNodeRecord {
  node_id: string;
  type: 'image' | 'video' | 'audio' | 'text' | 'file' | 'action';
  created_at: number;
  label?: string;
  asset_id?: string;
  url?: string;
  /** For `type: 'action'`: the action's raw slug. */
  action_id?: string;
  /** Action params, a canvas patch's `node_params` entry, or a changeset's model parameters. */
  params?: Record<string, unknown>;
  /** Generation prompt (set by a workspace canvas changeset or definition). */
  prompt?: string;
  /** Configured model endpoint id (set by a workspace canvas changeset or definition). */
  model?: string;
  /** Absolute canvas position; absent nodes get a deterministic automatic layout. */
  position?: { x: number; y: number };
  /** The FLORA block type given by `PUT …/canvas/definition`, echoed back by the definition read. */
  block_type?: string;
}

/** A directed canvas edge between two node ids of one project. */
export interface CanvasEdgeRecord {
  from: string;
  to: string;
  /** Target input slot (changeset `in`, definition `target_handle`). */
  in?: string;
  /** Edge id given by `PUT …/canvas/definition`. */
  id?: string;
}

/** A project folder (`fld_…`) that `POST /workspaces/{ws}/folders/{folderId}/projects` files projects into. */
export interface FolderRecord {
  folder_id: string;
  workspace_id: string;
  name: string;
}

/** A library folder (`libfolder_…`) of `POST /workspaces/{ws}/library/folders`; deleted folders are removed. */
export interface LibraryFolderRecord {
  folder_id: string;
  workspace_id: string;
  name: string;
  created_at: number;
}

/** An item saved into a library folder (`POST …/library/folders/{folderId}/items`). */
export interface LibraryItemRecord {
  saved_node_id: string;
  workspace_id: string;
  /** The library folder, or null once that folder was deleted (its items are detached, not deleted). */
  folder_id: string | null;
  type: 'image' | 'text';
  /** The stored asset of an image item. */
  asset_id: string | null;
  url: string | null;
  /** The image's source URL (image items). */
  source: string | null;
  text: string | null;
  description: string | null;
  created_at: number;
}

/** A recorded `POST /feedback`. */
export interface FeedbackRecord {
  feedback_id: string;
  workspace_id: string;
  kind: 'feature_request' | 'bug' | 'technique_request' | 'missing_capability';
  summary: string;
  detail: string;
  attempted_tools: string[];
  project_id: string | null;
  run_id: string | null;
  received_at: number;
}

/** The seeded project folder of a workspace: `ws_simulator` → `fld_simulator`. */
export const defaultFolderId = (workspaceId: string): string =>
  `fld_${workspaceId.slice(workspaceId.indexOf('_') + 1)}`;

const round = (usd: number): number => Math.round(usd * 1e9) / 1e9;

/** All mutable state of one simulator: catalog, workspaces, balances, projects, assets, runs, feedback. */
export class SimulatorState {
  readonly techniques: TechniqueDefinition[];
  readonly models: ModelDefinition[];
  readonly actions: ActionDefinition[] = DEFAULT_ACTIONS.map((a) => structuredClone(a));
  readonly projects = new Map<string, ProjectRecord>();
  readonly assets = new Map<string, AssetRecord>();
  readonly runs = new Map<string, RunRecord>();
  readonly feedback: FeedbackRecord[] = [];
  /** Stored canvas nodes per project id, oldest first. */
  readonly canvasNodes = new Map<string, CanvasNodeRecord[]>();
  /** Stored canvas edges per project id, oldest first. */
  readonly canvasEdges = new Map<string, CanvasEdgeRecord[]>();
  /** Derived canvas nodes (from assets and runs) removed by a changeset or a definition replace, per project. */
  readonly hiddenNodes = new Map<string, Set<string>>();
  /** Persisted short node ids (`n1`, `n2`, …) per project: node_id → short id. */
  readonly shortIds = new Map<string, Map<string, string>>();
  /** Project folders: one seeded per workspace, `fld_<workspace suffix>` (see {@link defaultFolderId}). */
  readonly folders = new Map<string, FolderRecord>();
  /** The folder a project was filed into, by project id. */
  readonly projectFolders = new Map<string, string>();
  /** Library folders (`libfolder_…`) by id; none are seeded. */
  readonly libraryFolders = new Map<string, LibraryFolderRecord>();
  /** Items saved into library folders, by saved node id. */
  readonly libraryItems = new Map<string, LibraryItemRecord>();
  readonly #balances = new Map<string, number>();
  readonly #options: ResolvedOptions;
  readonly #stats: StatsRecorder;
  readonly #runPrng: Prng;
  origin = '';

  constructor(options: ResolvedOptions, stats: StatsRecorder, runPrng: Prng) {
    this.#options = options;
    this.#stats = stats;
    this.#runPrng = runPrng;
    this.techniques = options.techniques;
    this.models = options.models;
    for (const ws of this.workspaceIds()) {
      const folder_id = defaultFolderId(ws);
      this.folders.set(folder_id, { folder_id, workspace_id: ws, name: 'Projects' });
    }
  }

  /**
   * The live canvas of a project, oldest first: stored nodes plus nodes derived from its assets and runs,
   * minus derived nodes a changeset or definition replace removed.
   */
  projectCanvas(projectId: string, now: number): ProjectNode[] {
    return projectNodes(
      projectId,
      this.assets.values(),
      this.runs.values(),
      this.canvasNodes.get(projectId) ?? [],
      now,
      this.hiddenNodes.get(projectId),
    );
  }

  /** The removed derived node ids of a project (a live set: add to hide). */
  hiddenNodesOf(projectId: string): Set<string> {
    let set = this.hiddenNodes.get(projectId);
    if (!set) {
      set = new Set();
      this.hiddenNodes.set(projectId, set);
    }
    return set;
  }

  /** The persisted short id of a canvas node (`n1`, `n2`, … in order of first report). */
  shortId(projectId: string, nodeId: string): string {
    let ids = this.shortIds.get(projectId);
    if (!ids) {
      ids = new Map();
      this.shortIds.set(projectId, ids);
    }
    let id = ids.get(nodeId);
    if (id === undefined) {
      id = `n${ids.size + 1}`;
      ids.set(nodeId, id);
    }
    return id;
  }

  /** The workspaces known from the API keys. */
  workspaceIds(): string[] {
    return [...new Set(Object.values(this.#options.apiKeys))];
  }

  balance(workspaceId: string): number {
    const stored = this.#balances.get(workspaceId);
    if (stored !== undefined) return stored;
    const c = this.#options.credits;
    return typeof c === 'number' ? c : (c[workspaceId] ?? 0);
  }

  setBalance(workspaceId: string, usd: number): void {
    this.#balances.set(workspaceId, usd);
  }

  /** Charges a run; 402 `insufficient_credits` when the balance does not cover it. */
  charge(workspaceId: string, usd: number): void {
    const available = this.balance(workspaceId);
    if (available < usd) {
      throw new ApiError(
        402,
        'insufficient_credits',
        `Insufficient credits. available: $${available.toFixed(2)}, required: $${usd.toFixed(2)}.`,
      );
    }
    this.#balances.set(workspaceId, round(available - usd));
    this.#stats.charge(usd);
  }

  findTechnique(idOrSlug: string): TechniqueDefinition | undefined {
    return this.techniques.find((t) => t.technique_id === idOrSlug || t.slug === idOrSlug);
  }

  /** Creates (and counts) a run whose outcome is drawn now from the seeded PRNG. */
  createRun(
    fields: NewRun,
    pollPath: (runId: string) => string = (id) => `${API_PREFIX}/runs/${id}`,
  ): RunRecord {
    const runId = newId('run');
    const { failureRate, errors, pendingMs, runningMs } = this.#options.runs;
    let failure = null;
    if (failureRate > 0 && this.#runPrng.next() < failureRate) {
      const pick = errors[Math.floor(this.#runPrng.next() * errors.length)] ?? errors[0]!;
      failure = { ...pick };
    }
    const run: RunRecord = {
      nested: false,
      techniqueId: null,
      techniqueName: null,
      modelId: null,
      actionId: null,
      ...fields,
      runId,
      pendingMs,
      runningMs,
      failure,
      pollUrl: `${this.origin}${pollPath(runId)}`,
    };
    this.runs.set(runId, run);
    this.#stats.sideEffect('runsCreated');
    return run;
  }

  /** The stored canvas nodes of a project (a live array: push to add). */
  storedNodes(projectId: string): CanvasNodeRecord[] {
    let list = this.canvasNodes.get(projectId);
    if (!list) {
      list = [];
      this.canvasNodes.set(projectId, list);
    }
    return list;
  }

  /** The stored canvas edges of a project (a live array: push to add). */
  storedEdges(projectId: string): CanvasEdgeRecord[] {
    let list = this.canvasEdges.get(projectId);
    if (!list) {
      list = [];
      this.canvasEdges.set(projectId, list);
    }
    return list;
  }

  countAsset(): void {
    this.#stats.sideEffect('assetsCreated');
  }

  countProject(): void {
    this.#stats.sideEffect('projectsCreated');
  }
}

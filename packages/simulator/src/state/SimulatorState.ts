import { ApiError } from '../http/ApiError.js';
import { newId } from '../http/newId.js';
import type { ResolvedOptions } from '../options/resolveOptions.js';
import type { Prng } from '../prng/createPrng.js';
import type { RunRecord } from '../runs/RunRecord.js';
import type { StatsRecorder } from '../stats/StatsRecorder.js';
import {
  type ActionDefinition,
  DEFAULT_ACTIONS,
  type ModelDefinition,
  type TechniqueDefinition,
} from './catalog.js';

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
  /** Action params, or a canvas patch's `node_params` entry. */
  params?: Record<string, unknown>;
}

/** A directed canvas edge between two node ids of one project. */
export interface CanvasEdgeRecord {
  from: string;
  to: string;
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
    fields: Omit<RunRecord, 'runId' | 'pendingMs' | 'runningMs' | 'failure' | 'pollUrl'>,
    pollPath: (runId: string) => string,
  ): RunRecord {
    const runId = newId('run');
    const { failureRate, errors, pendingMs, runningMs } = this.#options.runs;
    let failure = null;
    if (failureRate > 0 && this.#runPrng.next() < failureRate) {
      const pick = errors[Math.floor(this.#runPrng.next() * errors.length)] ?? errors[0]!;
      failure = { ...pick };
    }
    const run: RunRecord = {
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

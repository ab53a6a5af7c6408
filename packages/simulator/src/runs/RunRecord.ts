import type { RunError } from './runErrorVocabularies.js';

/** A run as stored; its status is derived from the clock when it is read. */
export interface RunRecord {
  runId: string;
  workspaceId: string;
  type: 'technique' | 'generation' | 'action';
  /** Created by `POST /techniques/{slug}/runs` (only those are visible on the nested GET). */
  nested: boolean;
  techniqueId: string | null;
  techniqueName: string | null;
  modelId: string | null;
  /** The action's raw slug, for `type: 'action'`. */
  actionId: string | null;
  projectId: string | null;
  /** Set for runs of a stored canvas action node (`POST /projects/{id}/actions/{nodeId}/run`). */
  canvasNodeId?: string;
  createdAt: number;
  pendingMs: number;
  runningMs: number;
  chargedCost: number;
  failure: RunError | null;
  outputType: 'imageUrl' | 'videoUrl' | 'audioUrl' | 'text';
  pollUrl: string;
}

/** What a route gives `SimulatorState.createRun`: `nested` defaults to false, the ids to null. */
export type NewRun = Omit<
  RunRecord,
  | 'runId'
  | 'pendingMs'
  | 'runningMs'
  | 'failure'
  | 'pollUrl'
  | 'nested'
  | 'techniqueId'
  | 'techniqueName'
  | 'modelId'
  | 'actionId'
> &
  Partial<Pick<RunRecord, 'nested' | 'techniqueId' | 'techniqueName' | 'modelId' | 'actionId'>>;

const EXT: Record<RunRecord['outputType'], string> = {
  imageUrl: 'png',
  videoUrl: 'mp4',
  audioUrl: 'mp3',
  text: 'txt',
};

/** The run object of flora-api.md §4.2 at time `now` (snake_case). */
export function runView(run: RunRecord, now: number): Record<string, unknown> {
  const startedAt = run.createdAt + run.pendingMs;
  const endAt = startedAt + run.runningMs;
  const base: Record<string, unknown> = {
    run_id: run.runId,
    status: 'pending',
    progress: 0,
    created_at: run.createdAt,
    charged_cost: run.chargedCost,
    poll_url: run.pollUrl,
  };
  if (now < startedAt) return base;
  base.started_at = startedAt;
  if (now < endAt) {
    base.status = 'running';
    base.progress = Math.min(99, Math.max(1, Math.floor(((now - startedAt) / run.runningMs) * 100)));
    return base;
  }
  base.progress = 100;
  base.completed_at = endAt;
  if (run.failure) {
    base.status = 'failed';
    base.error_code = run.failure.code;
    base.error_message = run.failure.message;
    base.outputs = [];
    return base;
  }
  base.status = 'completed';
  base.outputs = [
    {
      output_id: 'output_1',
      type: run.outputType,
      url:
        run.outputType === 'text'
          ? `Simulated text output of ${run.runId}.`
          : `https://media.flora.ai/simulator/${run.runId}/output_1.${EXT[run.outputType]}`,
    },
  ];
  return base;
}

/** The "start" response of flora-api.md §4.3 (snake_case). */
export function startView(run: RunRecord, estimatedSeconds: number | null): Record<string, unknown> {
  return {
    run_id: run.runId,
    type: run.type,
    charged_cost: run.chargedCost,
    estimated_seconds: estimatedSeconds,
    poll_url: run.pollUrl,
    project_id: run.projectId,
    model: run.modelId ? { model_id: run.modelId } : null,
    technique: run.techniqueId ? { name: run.techniqueName, technique_id: run.techniqueId } : null,
    action: run.actionId ? { action_id: run.actionId } : null,
  };
}

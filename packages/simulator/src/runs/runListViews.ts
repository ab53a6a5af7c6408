import { type RunRecord, runView } from './RunRecord.js';

/** A `GET /generations` item: the run object plus `generation_id` (= `run_id`), project, workspace and model. */
export function generationListView(run: RunRecord, now: number): Record<string, unknown> {
  return {
    ...runView(run, now),
    generation_id: run.runId,
    project_id: run.projectId,
    workspace_id: run.workspaceId,
    model: { model_id: run.modelId },
  };
}

/** A `GET /technique-runs` item: the run object plus `technique_run_id`, technique, project and workspace. */
export function techniqueRunListView(run: RunRecord, now: number): Record<string, unknown> {
  return {
    ...runView(run, now),
    technique_run_id: run.runId,
    technique: { name: run.techniqueName, technique_id: run.techniqueId },
    project_id: run.projectId,
    workspace_id: run.workspaceId,
  };
}

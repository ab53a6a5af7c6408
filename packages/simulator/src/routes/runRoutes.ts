import { API_PREFIX } from '../constants.js';
import { ApiError } from '../http/ApiError.js';
import { MEDIA_TYPES, OUTPUT_TYPE_OF } from '../runs/mediaOutputType.js';
import type { RunRecord } from '../runs/RunRecord.js';
import { runView, startView } from '../runs/RunRecord.js';
import type { TechniqueDefinition } from '../state/catalog.js';
import type { SimulatorState } from '../state/SimulatorState.js';
import type { RouteHandler } from './RouteHandler.js';
import {
  bodyObject,
  FieldCollector,
  isHttpsUrl,
  noExtraKeys,
  prefixedId,
  requiredString,
} from './validation.js';
import { assertOwnWorkspace } from './workspaceAccess.js';

const GENERATION_TYPES = MEDIA_TYPES;

function callbackUrl(c: FieldCollector, body: Record<string, unknown>): void {
  if (body.callback_url !== undefined && !isHttpsUrl(body.callback_url)) {
    c.add('callback_url', 'Expected an https URL.');
  }
}

function missingRequired(c: FieldCollector, t: TechniqueDefinition, given: Set<string>): void {
  for (const input of t.inputs) {
    if (input.required && !given.has(input.id)) c.add('inputs', `Missing required input '${input.id}'.`);
  }
}

/** Run creation and retrieval routes (technique and generation runs; action runs are in actionRoutes). */
export function runRoutes(state: SimulatorState): Record<string, RouteHandler> {
  const ownRun = (runId: string, workspaceId: string): RunRecord => {
    const run = state.runs.get(runId);
    if (!run || run.workspaceId !== workspaceId) throw ApiError.notFound('Run');
    return run;
  };

  /** `POST /generate` (and its deprecated alias `POST /runs/generation`). */
  const startGeneration: RouteHandler = (ctx) => {
    const body = bodyObject(ctx.body);
    const c = new FieldCollector();
    const type = body.type as (typeof GENERATION_TYPES)[number];
    if (type === undefined) c.add('type', 'Required');
    else if (!GENERATION_TYPES.includes(type)) c.add('type', "Expected 'image', 'video', 'audio' or 'text'.");
    requiredString(c, body, 'prompt');
    prefixedId(c, body, 'workspace_id', 'ws', true);
    const projectId = prefixedId(c, body, 'project_id', 'prj', true);
    let model = undefined as (typeof state.models)[number] | undefined;
    if (body.model !== undefined) {
      model = state.models.find((m) => m.model_id === body.model);
      if (!model)
        c.add('model', `Unknown model '${String(body.model)}': use an endpoint id from GET /models.`);
      else if (GENERATION_TYPES.includes(type) && model.type !== type) {
        c.add('model', `Model '${model.model_id}' generates ${model.type}, not ${type}.`);
      }
    }
    if (
      body.params !== undefined &&
      (typeof body.params !== 'object' || body.params === null || Array.isArray(body.params))
    ) {
      c.add('params', 'Expected object.');
    }
    callbackUrl(c, body);
    c.throwIfAny();
    assertOwnWorkspace(body.workspace_id as string, ctx.workspaceId);
    const p = state.projects.get(projectId!);
    if (!p || p.workspace_id !== ctx.workspaceId) throw ApiError.notFound('Project');
    model ??= state.models.find((m) => m.type === type);
    if (!model) throw ApiError.validation([{ field: 'type', message: `No model generates ${type}.` }]);
    state.charge(ctx.workspaceId, model.run_cost);
    const run = state.createRun({
      workspaceId: ctx.workspaceId,
      type: 'generation',
      modelId: model.model_id,
      projectId: p.project_id,
      createdAt: ctx.now,
      chargedCost: model.run_cost,
      outputType: OUTPUT_TYPE_OF[type],
    });
    return { status: 200, body: startView(run, model.estimated_seconds), runBody: true };
  };

  return {
    'POST /techniques/:slug/runs': (ctx) => {
      const t = state.findTechnique(ctx.params.slug!);
      if (!t) throw ApiError.notFound('Technique');
      const body = bodyObject(ctx.body);
      const c = new FieldCollector();
      noExtraKeys(c, body, ['inputs', 'mode', 'callback_url', 'idempotency_key']);
      if (body.mode === undefined) c.add('mode', 'Required');
      else if (body.mode !== 'async' && body.mode !== 'stream')
        c.add('mode', "Expected 'async' or 'stream'.");
      callbackUrl(c, body);
      if (
        body.idempotency_key !== undefined &&
        (typeof body.idempotency_key !== 'string' || body.idempotency_key === '')
      ) {
        c.add('idempotency_key', 'Expected a non-empty string.');
      }
      const inputs = body.inputs;
      if (inputs === undefined) {
        c.add('inputs', 'Required');
      } else if (!Array.isArray(inputs)) {
        c.add('inputs', 'Expected array.');
      } else if (inputs.length === 0) {
        c.add('inputs', 'Array must contain at least 1 element(s).');
      } else {
        const given = new Set<string>();
        inputs.forEach((item: unknown, i) => {
          if (typeof item !== 'object' || item === null || Array.isArray(item)) {
            c.add(`inputs[${i}]`, 'Expected object.');
            return;
          }
          const { id, type, value } = item as Record<string, unknown>;
          const declared = t.inputs.find((x) => x.id === id);
          if (typeof id !== 'string') c.add(`inputs[${i}].id`, 'Required');
          else if (!declared) c.add(`inputs[${i}].id`, `Unknown input id '${id}' for technique ${t.slug}.`);
          else given.add(id);
          if (!['text', 'imageUrl', 'videoUrl'].includes(type as string)) {
            c.add(`inputs[${i}].type`, "Expected 'text', 'imageUrl' or 'videoUrl'.");
          } else if (declared && declared.type !== type) {
            c.add(`inputs[${i}].type`, `Input '${declared.id}' has type '${declared.type}'.`);
          }
          if (typeof value !== 'string' || value === '')
            c.add(`inputs[${i}].value`, 'Expected a non-empty string.');
        });
        missingRequired(c, t, given);
      }
      c.throwIfAny();
      state.charge(ctx.workspaceId, t.run_cost);
      const slug = ctx.params.slug!;
      const run = state.createRun(
        {
          workspaceId: ctx.workspaceId,
          type: 'technique',
          nested: true,
          techniqueId: t.technique_id,
          techniqueName: t.name,
          projectId: null,
          createdAt: ctx.now,
          chargedCost: t.run_cost,
          outputType: t.outputs[0]?.type ?? 'imageUrl',
        },
        (id) => `${API_PREFIX}/techniques/${encodeURIComponent(slug)}/runs/${id}`,
      );
      return { status: 200, body: runView(run, ctx.now), runBody: true };
    },

    'GET /techniques/:slug/runs/:runId': (ctx) => {
      const t = state.findTechnique(ctx.params.slug!);
      if (!t) throw ApiError.notFound('Technique');
      const run = ownRun(ctx.params.runId!, ctx.workspaceId);
      if (!run.nested || run.techniqueId !== t.technique_id) throw ApiError.notFound('Run');
      return { status: 200, body: runView(run, ctx.now), runBody: true };
    },

    'GET /runs/:runId': (ctx) => {
      const run = ownRun(ctx.params.runId!, ctx.workspaceId);
      return { status: 200, body: runView(run, ctx.now), runBody: true };
    },

    'POST /runs/technique': (ctx) => {
      const body = bodyObject(ctx.body);
      const c = new FieldCollector();
      const techniqueId = prefixedId(c, body, 'technique_id', 'tech', true);
      const workspaceId = prefixedId(c, body, 'workspace_id', 'ws', true);
      const projectId = prefixedId(c, body, 'project_id', 'prj', false);
      callbackUrl(c, body);
      const inputs = body.inputs;
      if (inputs === undefined) c.add('inputs', 'Required');
      else if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) {
        c.add('inputs', 'Expected an object map { inputId: value }.');
      }
      c.throwIfAny();
      assertOwnWorkspace(workspaceId!, ctx.workspaceId);
      const t = state.techniques.find((x) => x.technique_id === techniqueId);
      if (!t) throw ApiError.notFound('Technique');
      if (projectId !== undefined) {
        const p = state.projects.get(projectId);
        if (!p || p.workspace_id !== ctx.workspaceId) throw ApiError.notFound('Project');
      }
      const map = inputs as Record<string, unknown>;
      const given = new Set<string>();
      for (const [id, value] of Object.entries(map)) {
        if (!t.inputs.some((x) => x.id === id))
          c.add(`inputs.${id}`, `Unknown input id '${id}' for technique ${t.slug}.`);
        else given.add(id);
        if (typeof value !== 'string' || value === '') c.add(`inputs.${id}`, 'Expected a non-empty string.');
      }
      missingRequired(c, t, given);
      c.throwIfAny();
      state.charge(ctx.workspaceId, t.run_cost);
      const run = state.createRun({
        workspaceId: ctx.workspaceId,
        type: 'technique',
        techniqueId: t.technique_id,
        techniqueName: t.name,
        projectId: projectId ?? null,
        createdAt: ctx.now,
        chargedCost: t.run_cost,
        outputType: t.outputs[0]?.type ?? 'imageUrl',
      });
      return {
        status: 200,
        body: startView(run, Math.ceil((run.pendingMs + run.runningMs) / 1000)),
        runBody: true,
      };
    },

    'POST /generate': startGeneration,
    // Deprecated alias (SDK 0.11 `runs.startGeneration`): same body, start shape, billing and idempotency.
    'POST /runs/generation': startGeneration,
  };
}

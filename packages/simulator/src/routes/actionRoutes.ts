import { ApiError } from '../http/ApiError.js';
import { MEDIA_TYPES, type MediaType } from '../runs/mediaOutputType.js';
import type { ActionDefinition } from '../state/catalog.js';
import type { SimulatorState } from '../state/SimulatorState.js';
import type { RouteHandler } from './RouteHandler.js';
import { startActionRun } from './startActionRun.js';
import { bodyObject, FieldCollector, isHttpsUrl, prefixedId, requiredString } from './validation.js';
import { assertOwnWorkspace } from './workspaceAccess.js';

/** Action ids are raw slugs (`rotate-image`), not prefixed ids. */
export const ACTION_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Checks `inputs: [{ type, name?, text?, url? }]` (non-empty); returns the types given, by index. */
export function actionInputs(c: FieldCollector, inputs: unknown): (MediaType | undefined)[] {
  if (inputs === undefined) {
    c.add('inputs', 'Required');
    return [];
  }
  if (!Array.isArray(inputs)) {
    c.add('inputs', 'Expected array.');
    return [];
  }
  if (inputs.length === 0) {
    c.add('inputs', 'Array must contain at least 1 element(s).');
    return [];
  }
  return inputs.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      c.add(`inputs[${i}]`, 'Expected object.');
      return undefined;
    }
    const { type, name, text, url } = item as Record<string, unknown>;
    if (name !== undefined && typeof name !== 'string') c.add(`inputs[${i}].name`, 'Expected string.');
    if (!MEDIA_TYPES.includes(type as MediaType)) {
      c.add(`inputs[${i}].type`, "Expected 'image', 'video', 'audio' or 'text'.");
      return undefined;
    }
    if (type === 'text') {
      if (typeof text !== 'string' || text === '') c.add(`inputs[${i}].text`, 'Expected a non-empty string.');
    } else if (!isHttpsUrl(url)) {
      c.add(`inputs[${i}].url`, 'Expected an https URL.');
    }
    return type as MediaType;
  });
}

/** Inputs whose type the action has no slot for, and slots left without an input. */
export function slotErrors(
  c: FieldCollector,
  action: ActionDefinition,
  given: (MediaType | undefined)[],
): void {
  const accepted = new Set(action.inputs.map((s) => s.type));
  given.forEach((type, i) => {
    if (type !== undefined && !accepted.has(type)) {
      c.add(
        `inputs[${i}].type`,
        `Action '${action.action_id}' takes ${[...accepted].join(', ')} inputs, not ${type}.`,
      );
    }
  });
  for (const slot of action.inputs) {
    if (!given.includes(slot.type)) {
      c.add(
        'inputs',
        `Missing an input of type ${slot.type} for slot '${slot.name}' of action '${action.action_id}'.`,
      );
    }
  }
}

/** `GET /actions`, `GET /actions/:actionId`, `POST /runs/action` (headless: no canvas change). */
export function actionRoutes(state: SimulatorState): Record<string, RouteHandler> {
  return {
    'GET /actions': () => ({ status: 200, body: { actions: state.actions.map((a) => structuredClone(a)) } }),

    'GET /actions/:actionId': (ctx) => {
      const a = state.actions.find((x) => x.action_id === ctx.params.actionId);
      if (!a) throw ApiError.notFound('Action');
      return { status: 200, body: structuredClone(a) };
    },

    'POST /runs/action': (ctx) => {
      const body = bodyObject(ctx.body);
      const c = new FieldCollector();
      const actionId = requiredString(c, body, 'action_id');
      if (actionId !== undefined && !ACTION_SLUG.test(actionId)) {
        c.add('action_id', "Expected a raw action slug such as 'rotate-image'.");
      }
      const workspaceId = prefixedId(c, body, 'workspace_id', 'ws', true);
      const projectId = prefixedId(c, body, 'project_id', 'prj', true);
      const given = actionInputs(c, body.inputs);
      if (
        body.params !== undefined &&
        (typeof body.params !== 'object' || body.params === null || Array.isArray(body.params))
      ) {
        c.add('params', 'Expected object.');
      }
      c.throwIfAny();
      assertOwnWorkspace(workspaceId!, ctx.workspaceId);
      const action = state.actions.find((x) => x.action_id === actionId);
      if (!action) throw ApiError.notFound('Action');
      const p = state.projects.get(projectId!);
      if (!p || p.workspace_id !== ctx.workspaceId) throw ApiError.notFound('Project');
      slotErrors(c, action, given);
      c.throwIfAny();
      return startActionRun(state, ctx, action, p.project_id);
    },
  };
}

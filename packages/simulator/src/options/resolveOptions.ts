import { SIMULATOR_API_KEY, SIMULATOR_WORKSPACE_ID } from '../constants.js';
import type { FaultSpec } from '../faults/FaultSpec.js';
import { validateFaultSpec } from '../faults/validateFaultSpec.js';
import { RUN_ERROR_VOCABULARIES, type RunError } from '../runs/runErrorVocabularies.js';
import { SCENARIO_NAMES, SCENARIOS, type ScenarioName } from '../scenarios/SCENARIOS.js';
import {
  DEFAULT_MODELS,
  DEFAULT_TECHNIQUES,
  type ModelDefinition,
  type TechniqueDefinition,
} from '../state/catalog.js';
import type { IdempotencyMode, RetryAfterForm, SimulatorOptions } from './SimulatorOptions.js';

/** Options after defaults, validation and the scenario merge. Internal. */
export interface ResolvedOptions {
  port: number;
  host: string;
  seed: number | string;
  now: () => number;
  scenario: ScenarioName | undefined;
  apiKeys: Record<string, string>;
  credits: number | Record<string, number>;
  rateLimit: { requestsPerSecond: number; burst: number; retryAfter: RetryAfterForm } | false;
  idempotency: IdempotencyMode;
  runs: { pendingMs: number; runningMs: number; failureRate: number; errors: RunError[] };
  casing: 'snake' | 'camel';
  faults: FaultSpec[];
  maxBodyBytes: number;
  statsLimit: number;
  techniques: TechniqueDefinition[];
  models: ModelDefinition[];
}

const P = 'startSimulator: options';
const RETRY_AFTER_FORMS: readonly RetryAfterForm[] = [
  'seconds',
  'http-date',
  'ms',
  'absent',
  'garbage',
  'huge',
];

const show = (v: unknown): string => {
  if (typeof v === 'function') return 'a function';
  try {
    return typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    return String(v);
  }
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function num(name: string, v: unknown, min: number, max = Number.POSITIVE_INFINITY, integer = false): number {
  if (typeof v !== 'number' || Number.isNaN(v))
    throw new TypeError(`${P}.${name} must be a number, got ${show(v)}`);
  if (integer && !Number.isInteger(v)) throw new TypeError(`${P}.${name} must be an integer, got ${show(v)}`);
  if (v < min || v > max) {
    throw new RangeError(
      `${P}.${name} must be in ${min}..${max === Number.POSITIVE_INFINITY ? '∞' : max}, got ${show(v)}`,
    );
  }
  return v;
}

function oneOf<T extends string>(name: string, v: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) {
    throw new RangeError(
      `${P}.${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${show(v)}`,
    );
  }
  return v as T;
}

/** Applies defaults, validates, and merges the scenario under the caller's options. Never mutates `input`. */
export function resolveOptions(input: SimulatorOptions = {}): ResolvedOptions {
  if (!isObject(input as unknown))
    throw new TypeError(`startSimulator: options must be an object, got ${show(input)}`);
  const o = input;

  let scenario: ScenarioName | undefined;
  if (o.scenario !== undefined) scenario = oneOf('scenario', o.scenario, SCENARIO_NAMES);
  const sc = scenario ? SCENARIOS[scenario] : undefined;

  const port = o.port === undefined ? 0 : num('port', o.port, 0, 65535, true);
  if (o.host !== undefined && (typeof o.host !== 'string' || o.host === '')) {
    throw new TypeError(`${P}.host must be a non-empty string, got ${show(o.host)}`);
  }
  const host = o.host ?? '127.0.0.1';

  const seed = o.seed ?? 1;
  if (typeof seed === 'number') {
    if (!Number.isInteger(seed))
      throw new TypeError(`${P}.seed must be an integer or a string, got ${show(seed)}`);
  } else if (typeof seed !== 'string') {
    throw new TypeError(`${P}.seed must be an integer or a string, got ${show(seed)}`);
  }

  if (o.now !== undefined && typeof o.now !== 'function') {
    throw new TypeError(`${P}.now must be a function returning milliseconds, got ${show(o.now)}`);
  }
  const now: () => number = (o.now as (() => number) | undefined) ?? Date.now;

  let apiKeys: Record<string, string> = { [SIMULATOR_API_KEY]: SIMULATOR_WORKSPACE_ID };
  if (o.apiKeys !== undefined) {
    if (!isObject(o.apiKeys))
      throw new TypeError(`${P}.apiKeys must be an object { key: workspaceId }, got ${show(o.apiKeys)}`);
    apiKeys = {};
    for (const [key, ws] of Object.entries(o.apiKeys)) {
      if (key === '') throw new RangeError(`${P}.apiKeys must not contain an empty key`);
      if (typeof ws !== 'string' || !/^ws_\S+$/.test(ws)) {
        throw new RangeError(
          `${P}.apiKeys[${show(key)}] must be a workspace id starting with 'ws_', got ${show(ws)}`,
        );
      }
      apiKeys[key] = ws;
    }
    if (Object.keys(apiKeys).length === 0) throw new RangeError(`${P}.apiKeys must contain at least one key`);
  }

  let credits: number | Record<string, number> = 100;
  if (o.credits !== undefined) {
    if (typeof o.credits === 'number') {
      credits = num('credits', o.credits, 0);
    } else if (isObject(o.credits)) {
      credits = {};
      for (const [ws, usd] of Object.entries(o.credits)) credits[ws] = num(`credits[${show(ws)}]`, usd, 0);
    } else {
      throw new TypeError(
        `${P}.credits must be a number (USD) or an object { workspaceId: USD }, got ${show(o.credits)}`,
      );
    }
  }

  const rl = o.rateLimit !== undefined ? o.rateLimit : (sc?.options.rateLimit ?? false);
  let rateLimit: ResolvedOptions['rateLimit'] = false;
  if (rl !== false) {
    if (!isObject(rl))
      throw new TypeError(
        `${P}.rateLimit must be false or { requestsPerSecond, burst?, retryAfter? }, got ${show(rl)}`,
      );
    const rps = num('rateLimit.requestsPerSecond', rl.requestsPerSecond, Number.MIN_VALUE);
    const burst =
      rl.burst === undefined
        ? Math.max(1, Math.ceil(rps))
        : num('rateLimit.burst', rl.burst, 1, Number.POSITIVE_INFINITY, true);
    const retryAfter =
      rl.retryAfter === undefined
        ? 'seconds'
        : oneOf('rateLimit.retryAfter', rl.retryAfter, RETRY_AFTER_FORMS);
    rateLimit = { requestsPerSecond: rps, burst, retryAfter };
  }

  const idempotency =
    o.idempotency === undefined ? 'both' : oneOf('idempotency', o.idempotency, ['header', 'body', 'both']);

  if (o.runs !== undefined && !isObject(o.runs))
    throw new TypeError(`${P}.runs must be an object, got ${show(o.runs)}`);
  const runsIn = { ...sc?.options.runs, ...o.runs };
  const pendingMs = runsIn.pendingMs === undefined ? 1000 : num('runs.pendingMs', runsIn.pendingMs, 0);
  const runningMs = runsIn.runningMs === undefined ? 4000 : num('runs.runningMs', runsIn.runningMs, 0);
  const failureRate =
    runsIn.failureRate === undefined ? 0 : num('runs.failureRate', runsIn.failureRate, 0, 1);
  let errors: RunError[];
  const vocab = runsIn.errorVocabulary ?? 'docs';
  if (typeof vocab === 'string') {
    errors = RUN_ERROR_VOCABULARIES[oneOf('runs.errorVocabulary', vocab, ['docs', 'spec', 'production'])].map(
      (e) => ({ ...e }),
    );
  } else if (Array.isArray(vocab) && vocab.length > 0) {
    errors = vocab.map((e: unknown, i: number) => {
      if (!isObject(e) || typeof e.code !== 'string' || e.code === '' || typeof e.message !== 'string') {
        throw new TypeError(
          `${P}.runs.errorVocabulary[${i}] must be { code: string, message: string }, got ${show(e)}`,
        );
      }
      return { code: e.code, message: e.message };
    });
  } else {
    throw new RangeError(
      `${P}.runs.errorVocabulary must be 'docs', 'spec', 'production' or a non-empty array of { code, message }, got ${show(vocab)}`,
    );
  }

  const casing = o.casing === undefined ? 'snake' : oneOf('casing', o.casing, ['snake', 'camel']);

  if (o.faults !== undefined && !Array.isArray(o.faults))
    throw new TypeError(`${P}.faults must be an array, got ${show(o.faults)}`);
  const faults = [
    ...(sc?.faults ?? []).map((f) => structuredClone(f)),
    ...(o.faults ?? []).map((f, i) => validateFaultSpec(f, `${P}.faults[${i}]`)),
  ];

  const maxBodyBytes =
    o.maxBodyBytes === undefined ? 5 * 1024 * 1024 : num('maxBodyBytes', o.maxBodyBytes, 1, 2 ** 31, true);
  const statsLimit =
    o.statsLimit === undefined ? 100_000 : num('statsLimit', o.statsLimit, 0, 10_000_000, true);

  let techniques = DEFAULT_TECHNIQUES.map((t) => structuredClone(t));
  if (o.techniques !== undefined) {
    if (!Array.isArray(o.techniques))
      throw new TypeError(`${P}.techniques must be an array, got ${show(o.techniques)}`);
    techniques = o.techniques.map((t, i) => {
      if (!isObject(t) || typeof t.technique_id !== 'string' || !t.technique_id.startsWith('tech_')) {
        throw new TypeError(`${P}.techniques[${i}].technique_id must be a string starting with 'tech_'`);
      }
      if (typeof t.slug !== 'string' || t.slug === '')
        throw new TypeError(`${P}.techniques[${i}].slug must be a non-empty string`);
      num(`techniques[${i}].run_cost`, t.run_cost, 0);
      if (!Array.isArray(t.inputs) || !Array.isArray(t.outputs)) {
        throw new TypeError(`${P}.techniques[${i}] needs inputs[] and outputs[] arrays`);
      }
      return structuredClone(t) as unknown as TechniqueDefinition;
    });
  }
  let models = DEFAULT_MODELS.map((m) => structuredClone(m));
  if (o.models !== undefined) {
    if (!Array.isArray(o.models)) throw new TypeError(`${P}.models must be an array, got ${show(o.models)}`);
    models = o.models.map((m, i) => {
      if (!isObject(m) || typeof m.model_id !== 'string' || m.model_id === '') {
        throw new TypeError(`${P}.models[${i}].model_id must be a non-empty string`);
      }
      oneOf(`models[${i}].type`, m.type, ['image', 'video', 'audio', 'text']);
      num(`models[${i}].run_cost`, m.run_cost, 0);
      return structuredClone(m) as unknown as ModelDefinition;
    });
  }

  return {
    port,
    host,
    seed,
    now,
    scenario,
    apiKeys,
    credits,
    rateLimit,
    idempotency,
    runs: { pendingMs, runningMs, failureRate, errors },
    casing,
    faults,
    maxBodyBytes,
    statsLimit,
    techniques,
    models,
  };
}

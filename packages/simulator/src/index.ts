export {
  API_PREFIX,
  BODY_IDEMPOTENCY_WINDOW_MS,
  HEADER_IDEMPOTENCY_WINDOW_MS,
  SIMULATOR_API_KEY,
  SIMULATOR_WORKSPACE_ID,
} from './constants.js';
export type { FaultController } from './faults/FaultController.js';
export {
  type EmptyFault,
  FAULT_KINDS,
  type FaultEntry,
  type FaultKind,
  type FaultSchedule,
  type FaultSpec,
  type HtmlFault,
  type HugeFault,
  type LatencyFault,
  type OutageFault,
  type ResetFault,
  type StatusFault,
  type TruncatedFault,
} from './faults/FaultSpec.js';
export type { FieldError } from './http/ApiError.js';
export type {
  IdempotencyMode,
  RateLimitOptions,
  RetryAfterForm,
  RunOptions,
  SimulatorOptions,
} from './options/SimulatorOptions.js';
export { createPrng, type Prng } from './prng/createPrng.js';
export { ROUTE_TEMPLATES, type RouteTemplate } from './router/routeTemplates.js';
export {
  RUN_ERROR_VOCABULARIES,
  type RunError,
  type RunErrorVocabularyName,
} from './runs/runErrorVocabularies.js';
export { SCENARIO_NAMES, SCENARIOS, type Scenario, type ScenarioName } from './scenarios/SCENARIOS.js';
export type { CreditsController, Simulator } from './server/Simulator.js';
export { startSimulator } from './server/startSimulator.js';
export {
  type ActionDefinition,
  type ActionMediaType,
  DEFAULT_ACTIONS,
  DEFAULT_MODELS,
  DEFAULT_TECHNIQUES,
  type ModelDefinition,
  type TechniqueDefinition,
  type TechniqueInput,
} from './state/catalog.js';
export type { AttemptRecord, SimulatorStats } from './stats/SimulatorStats.js';

export type { BreakerEventSource, BreakerStateChange } from './BreakerEventSource.js';
export { BREAKER_STATE_VALUES, type BreakerState, isBreakerState } from './BreakerState.js';
export { categoryLabel } from './categoryLabel.js';
export { codeLabel, PROJECT_CODES } from './codeLabel.js';
export { createFloraMetrics, isFloraMetrics } from './createFloraMetrics.js';
export { DEFAULT_DURATION_BUCKETS } from './DEFAULT_DURATION_BUCKETS.js';
export type { Disposable } from './Disposable.js';
export { floraMetrics } from './floraMetrics.js';
export { instrumentBreakers } from './instrumentBreakers.js';
export { instrumentRetry } from './instrumentRetry.js';
export type { MetricsRegistry } from './MetricsRegistry.js';
export { methodLabel } from './methodLabel.js';
export { OperationLabeler } from './OperationLabeler.js';
export { NONE_LABEL, OTHER_LABEL } from './OTHER_LABEL.js';
export { type FailureLike, type Outcome, type OutcomeLabels, outcomeLabels } from './outcomeLabels.js';
export {
  GIVE_UP_REASONS,
  type GiveUpEvent,
  type GiveUpReason,
  type RetryEvent,
  type RetryEventSource,
} from './RetryEventSource.js';
export type { FloraMetricsOptions, ResolvedMetricsOptions } from './resolveMetricsOptions.js';
export { runCodeLabel } from './runCodeLabel.js';
export { statusLabel } from './statusLabel.js';
export type {
  DurationLabelName,
  FloraCollectors,
  FloraMetrics,
  Observation,
  OutcomeLabelName,
} from './types/FloraMetrics.js';

import { Counter, Gauge, Histogram } from 'prom-client';
import type { MetricsRegistry } from './MetricsRegistry.js';

interface BaseSpec<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
}
export interface CounterSpec<L extends string> extends BaseSpec<L> {
  readonly type: 'counter';
}
export interface GaugeSpec<L extends string> extends BaseSpec<L> {
  readonly type: 'gauge';
}
export interface HistogramSpec<L extends string> extends BaseSpec<L> {
  readonly type: 'histogram';
  readonly buckets: readonly number[];
}

/** The parts of an already-registered prom-client metric that decide whether it can be reused. */
interface RegisteredLike {
  readonly type?: unknown;
  readonly labelNames?: readonly string[];
  readonly upperBounds?: readonly number[];
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x) => b.includes(x));

/**
 * Get-or-create on a user's registry: a metric already registered under `name` (by another client of
 * this package sharing the registry) is reused when its type, label names and buckets match, so two
 * clients never hit prom-client's "already registered"; a metric that does not match throws a precise
 * error instead of silently mixing series. Duck-typed on `type`/`labelNames`/`upperBounds`, so a
 * metric created by another copy of prom-client is recognised too.
 */
export function getOrCreateMetric<L extends string>(
  registry: MetricsRegistry,
  spec: CounterSpec<L>,
): Counter<L>;
export function getOrCreateMetric<L extends string>(registry: MetricsRegistry, spec: GaugeSpec<L>): Gauge<L>;
export function getOrCreateMetric<L extends string>(
  registry: MetricsRegistry,
  spec: HistogramSpec<L>,
): Histogram<L>;
export function getOrCreateMetric<L extends string>(
  registry: MetricsRegistry,
  spec: CounterSpec<L> | GaugeSpec<L> | HistogramSpec<L>,
): Counter<L> | Gauge<L> | Histogram<L> {
  const existing = registry.getSingleMetric(spec.name) as unknown as RegisteredLike | undefined;
  if (existing !== undefined) {
    if (existing.type !== spec.type) {
      throw new TypeError(
        `createFloraMetrics: the registry already has a metric named '${spec.name}' of type '${String(existing.type)}', expected a ${spec.type}; use another registry or prefix`,
      );
    }
    const labels = [...(existing.labelNames ?? [])];
    if (!sameSet(labels, spec.labelNames)) {
      throw new TypeError(
        `createFloraMetrics: the registry already has a ${spec.type} '${spec.name}' with labels [${labels.join(', ')}], expected [${spec.labelNames.join(', ')}]; use another registry or prefix`,
      );
    }
    if (spec.type === 'histogram') {
      const bounds = [...(existing.upperBounds ?? [])];
      if (bounds.length !== spec.buckets.length || bounds.some((b, i) => b !== spec.buckets[i])) {
        throw new RangeError(
          `createFloraMetrics: the registry already has histogram '${spec.name}' with buckets [${bounds.join(', ')}], expected [${spec.buckets.join(', ')}]; pass the same options.buckets to every client sharing a registry`,
        );
      }
    }
    return existing as unknown as Counter<L> | Gauge<L> | Histogram<L>;
  }
  const common = {
    name: spec.name,
    help: spec.help,
    labelNames: [...spec.labelNames],
    registers: [registry],
  };
  switch (spec.type) {
    case 'counter':
      return new Counter<L>(common);
    case 'gauge':
      return new Gauge<L>(common);
    case 'histogram':
      return new Histogram<L>({ ...common, buckets: [...spec.buckets] });
  }
}

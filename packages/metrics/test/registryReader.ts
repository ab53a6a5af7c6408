import type { Registry } from 'prom-client';

type Labels = Record<string, string>;

/** Sum of a metric's samples whose labels include `labels` (histograms: the `_count` samples). */
export async function sample(registry: Registry, name: string, labels: Labels = {}): Promise<number> {
  const metrics = await registry.getMetricsAsJSON();
  const metric = metrics.find((m) => m.name === name);
  if (metric === undefined) throw new Error(`no metric ${name}`);
  let total = 0;
  for (const v of metric.values as { labels: Labels; value: number; metricName?: string }[]) {
    if (String(metric.type) === 'histogram' && v.metricName !== `${name}_count`) continue;
    if (Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want)) total += v.value;
  }
  return total;
}

/** Sum of a histogram's `_sum` samples whose labels include `labels`. */
export async function histogramSum(registry: Registry, name: string, labels: Labels = {}): Promise<number> {
  const metrics = await registry.getMetricsAsJSON();
  const metric = metrics.find((m) => m.name === name);
  if (metric === undefined) throw new Error(`no metric ${name}`);
  let total = 0;
  for (const v of metric.values as { labels: Labels; value: number; metricName?: string }[]) {
    if (v.metricName !== `${name}_sum`) continue;
    if (Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want)) total += v.value;
  }
  return total;
}

/** Every label set of a metric (histograms: one per series, from `_count`). */
export async function labelSets(registry: Registry, name: string): Promise<Labels[]> {
  const metrics = await registry.getMetricsAsJSON();
  const metric = metrics.find((m) => m.name === name);
  if (metric === undefined) throw new Error(`no metric ${name}`);
  return (metric.values as { labels: Labels; metricName?: string }[])
    .filter((v) => v.metricName === undefined || v.metricName === `${name}_count`)
    .map((v) => v.labels);
}

/** Number of sample lines (series) in the text exposition. */
export async function seriesCount(registry: Registry): Promise<number> {
  const text = await registry.metrics();
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
}

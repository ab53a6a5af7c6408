import type { OpenMetricsContentType, PrometheusContentType, Registry } from 'prom-client';

/** A prom-client `Registry` of either content type (Prometheus text or OpenMetrics). */
export type MetricsRegistry = Registry<PrometheusContentType> | Registry<OpenMetricsContentType>;

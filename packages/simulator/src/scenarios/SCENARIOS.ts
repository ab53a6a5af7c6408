import type { FaultSpec } from '../faults/FaultSpec.js';
import type { SimulatorOptions } from '../options/SimulatorOptions.js';

/** A named, plain-data situation: options applied under the caller's, plus faults registered first. */
export interface Scenario {
  name: ScenarioName;
  description: string;
  options: Readonly<Pick<SimulatorOptions, 'rateLimit' | 'runs'>>;
  faults: readonly FaultSpec[];
}

/** The scenario names. */
export type ScenarioName = 'rate-limit-storm' | 'brownout' | 'outage' | 'failing-runs' | 'chaos';

/** Every named scenario; times are ms after the simulator starts, on its clock. */
export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = {
  'rate-limit-storm': {
    name: 'rate-limit-storm',
    description:
      'A tight workspace limit of 20 req/s (burst 20) for the whole run; 429s carry retry-after seconds.',
    options: { rateLimit: { requestsPerSecond: 20, burst: 20, retryAfter: 'seconds' } },
    faults: [],
  },
  brownout: {
    name: 'brownout',
    description: 'From 1 s to 31 s, 60% of requests get 503 service_unavailable without retry-after.',
    options: {},
    faults: [
      {
        kind: 'status',
        status: 503,
        code: 'service_unavailable',
        message: 'Service temporarily unavailable.',
        from: 1_000,
        until: 31_000,
        probability: 0.6,
      },
    ],
  },
  outage: {
    name: 'outage',
    description: 'From 1 s to 11 s the port refuses connections (ECONNREFUSED), then it comes back.',
    options: {},
    faults: [{ kind: 'outage', from: 1_000, until: 11_000 }],
  },
  'failing-runs': {
    name: 'failing-runs',
    description: 'Half of all runs end failed with production (UPPER_SNAKE) codes, moderation trap included.',
    options: { runs: { failureRate: 0.5, errorVocabulary: 'production' } },
    faults: [],
  },
  chaos: {
    name: 'chaos',
    description:
      'Everything, mildly: 50 req/s limit, 10% failing runs, 3% 500s, 3% 503s, 1% HTML 502s, 0.5% truncated JSON, ' +
      '20% of requests delayed 0-300 ms, 1% resets before and 1% of run creates reset after the side effect, ' +
      'and a hard outage from 20 s to 23 s.',
    options: {
      rateLimit: { requestsPerSecond: 50, burst: 50, retryAfter: 'seconds' },
      runs: { failureRate: 0.1, errorVocabulary: 'production' },
    },
    faults: [
      { kind: 'latency', ms: [0, 300], probability: 0.2 },
      {
        kind: 'status',
        status: 500,
        code: 'internal_error',
        message: 'Internal server error.',
        probability: 0.03,
      },
      {
        kind: 'status',
        status: 503,
        code: 'service_unavailable',
        message: 'Service temporarily unavailable.',
        headers: { 'retry-after': '1' },
        probability: 0.03,
      },
      { kind: 'html', status: 502, probability: 0.01 },
      { kind: 'truncated', status: 500, probability: 0.005 },
      { kind: 'reset', phase: 'before', probability: 0.01 },
      { kind: 'reset', phase: 'after', route: 'POST /techniques/:slug/runs', probability: 0.01 },
      { kind: 'outage', from: 20_000, until: 23_000 },
    ],
  },
};

/** The scenario names, in documentation order. */
export const SCENARIO_NAMES: readonly ScenarioName[] = Object.keys(SCENARIOS) as ScenarioName[];

import type { FaultSpec, SimulatorOptions } from '@flora-resilience/simulator';

/** One phase of the demo: a name for the progress line, its window (ms after start), and how hard the workload pushes. */
export interface Phase {
  readonly name: string;
  readonly from: number;
  readonly until: number;
  /** Concurrent workers in this phase. */
  readonly workers: number;
  /** Pause between a worker's calls, ms. */
  readonly thinkMs: number;
}

export const DEAD_TECHNIQUE = 'upscale-4k';

/** The demo's story, compressed into ~42 s so it ends by itself well under a minute. */
export const PHASES: readonly Phase[] = [
  { name: 'calm', from: 0, until: 6_000, workers: 4, thinkMs: 150 },
  { name: 'rate-limit storm', from: 6_000, until: 13_000, workers: 40, thinkMs: 0 },
  { name: 'brownout (60% 503)', from: 13_000, until: 20_000, workers: 8, thinkMs: 100 },
  { name: `outage of ${DEAD_TECHNIQUE}`, from: 20_000, until: 30_000, workers: 8, thinkMs: 100 },
  // The breaker probes a dead operation 1 s, then 2, 4, 8 s after it opened: recovery is seen within one probe.
  { name: 'recovery', from: 30_000, until: 42_000, workers: 4, thinkMs: 150 },
];

export const DEMO_DURATION_MS = PHASES.at(-1)!.until;

const phase = (name: string): Phase => PHASES.find((p) => p.name.startsWith(name))!;

/** The simulator's side of the story: a 20 req/s workspace limit, then faults in their windows, and failing runs. */
export function simulatorOptions(): SimulatorOptions {
  const brownout = phase('brownout');
  const outage = phase('outage');
  const faults: FaultSpec[] = [
    {
      kind: 'status',
      status: 503,
      code: 'service_unavailable',
      message: 'Service temporarily unavailable.',
      from: brownout.from,
      until: brownout.until,
      probability: 0.6,
    },
    {
      kind: 'status',
      status: 503,
      code: 'service_unavailable',
      message: 'Service temporarily unavailable.',
      path: `/techniques/${DEAD_TECHNIQUE}`,
      from: outage.from,
      until: outage.until,
    },
  ];
  return {
    seed: 'flora-demo',
    rateLimit: { requestsPerSecond: 20, burst: 20, retryAfter: 'seconds' },
    runs: { pendingMs: 300, runningMs: 1_200, failureRate: 0.25, errorVocabulary: 'production' },
    credits: 1_000_000,
    faults,
  };
}

export function phaseAt(elapsed: number): Phase {
  return PHASES.find((p) => elapsed >= p.from && elapsed < p.until) ?? PHASES.at(-1)!;
}

import type { ClientFactory } from '../BenchClient.js';
import { bareGot } from '../clients/bareGot.js';
import { floraSdk } from '../clients/floraSdk.js';
import { gotDefaultRetry } from '../clients/gotDefaultRetry.js';
import { preset } from '../clients/preset.js';
import { countAttempts } from '../countAttempts.js';
import { failureCell, fixed, int, ms, pct } from '../report/format.js';
import { markdownTable } from '../report/markdownTable.js';
import type { ScenarioReport } from '../report/ScenarioReport.js';
import { type FreshRun, runOnFreshSimulator } from '../runOnFreshSimulator.js';
import { type OpenLoopResult, runOpenLoop } from '../runOpenLoop.js';
import { summarizeCalls } from '../summarizeCalls.js';

export interface BrownoutOptions {
  readonly callsPerSecond: number;
  readonly maxInFlight: number;
  readonly durationMs: number;
  readonly fromMs: number;
  readonly untilMs: number;
  readonly probability: number;
  readonly seed: number;
}

export const BROWNOUT_DEFAULTS: BrownoutOptions = {
  callsPerSecond: 100,
  maxInFlight: 500,
  durationMs: 8000,
  fromMs: 1000,
  untilMs: 6000,
  probability: 0.6,
  seed: 7,
};

const BUDGET_OFF = 'preset, retry budget off';
const BREAKER_OFF = 'preset, breaker off';
const BOTH_OFF = 'preset, breaker off, budget off';

/** The preset, its variants without the budget and/or the breaker, and the baselines. */
export const BROWNOUT_CONTENDERS: readonly ClientFactory[] = [
  preset(),
  preset({ name: BUDGET_OFF, options: () => ({ retry: { budget: false } }) }),
  preset({ name: BREAKER_OFF, options: () => ({ circuitBreaker: false }) }),
  preset({ name: BOTH_OFF, options: () => ({ circuitBreaker: false, retry: { budget: false } }) }),
  gotDefaultRetry,
  floraSdk,
  bareGot,
];

/** The brownout: a window in which a share of all requests get 503 `service_unavailable` without `retry-after`. */
export async function brownoutScenario(
  o: BrownoutOptions = BROWNOUT_DEFAULTS,
  contenders: readonly ClientFactory[] = BROWNOUT_CONTENDERS,
): Promise<ScenarioReport> {
  const runs: FreshRun<OpenLoopResult>[] = [];
  for (const factory of contenders) {
    const run = await runOnFreshSimulator(
      factory,
      {
        seed: o.seed,
        faults: [
          {
            kind: 'status',
            status: 503,
            code: 'service_unavailable',
            probability: o.probability,
            from: o.fromMs,
            until: o.untilMs,
          },
        ],
      },
      (client) =>
        runOpenLoop({
          client,
          callsPerSecond: o.callsPerSecond,
          maxInFlight: o.maxInFlight,
          durationMs: o.durationMs,
          operation: () => ({ method: 'GET', path: 'techniques/thumbnail-v3' }),
        }),
    );
    process.stderr.write(
      `[bench] brownout ${run.client}: ${run.samples.length} calls in ${ms(run.wallMs)}\n`,
    );
    runs.push(run);
  }
  const figures = runs.map((r) => {
    const s = summarizeCalls(r.samples);
    const inWindow = summarizeCalls(
      r.samples.filter(
        (x) => x.startedAt >= r.simStartedAt + o.fromMs && x.startedAt < r.simStartedAt + o.untilMs,
      ),
    );
    const requests = countAttempts(r.stats);
    return { r, s, inWindow, requests, amp: requests / s.calls };
  });
  const rows = figures.map(({ r, s, inWindow, requests, amp }) => [
    r.client,
    `${s.ok}/${s.calls}`,
    pct(s.successRate),
    `${pct(inWindow.successRate)} of ${inWindow.calls}`,
    int(requests),
    fixed(amp),
    int(countAttempts(r.stats, { status: 503 })),
    int(countAttempts(r.stats, { from: r.simStartedAt + o.fromMs, until: r.simStartedAt + o.untilMs })),
    ms(s.p50),
    ms(s.p99),
    int(r.shed),
    failureCell(s.failures),
  ]);
  const f = (name: string) => figures.find((x) => x.r.client === name);
  const by = (prefix: string) => figures.find((x) => x.r.client.startsWith(prefix));
  const def = by('flora-resilience');
  const line = (x: (typeof figures)[number] | undefined) =>
    x ? `${pct(x.inWindow.successRate)} in the window at ${fixed(x.amp)} requests/call` : '–';
  const refused = (x: (typeof figures)[number] | undefined) =>
    x
      ? x.s.failures.filter(([label]) => label.startsWith('CircuitOpenError')).reduce((n, [, c]) => n + c, 0)
      : 0;
  const budgetRefused = (x: (typeof figures)[number] | undefined) =>
    x
      ? x.s.failures
          .filter(([label]) => label.includes('retry_budget_exhausted'))
          .reduce((n, [, c]) => n + c, 0)
      : 0;
  const setup = [
    `Simulator fault: \`{ kind: 'status', status: 503, code: 'service_unavailable', probability: ${o.probability}, from: ${o.fromMs}, until: ${o.untilMs} }\`: from ${o.fromMs / 1000} s to ${o.untilMs / 1000} s after start, ${o.probability * 100} % of requests (seeded draw) get a 503 without \`retry-after\`; healthy before and after.`,
    `Workload: open loop, ${o.callsPerSecond} new calls of \`GET techniques/thumbnail-v3\` per second for ${o.durationMs / 1000} s (${(o.callsPerSecond * o.durationMs) / 1000} logical calls; calls in flight then finish; at most ${o.maxInFlight} in flight). Calls arrive on schedule whatever their latency, as a service's own traffic does, so retries add load instead of slowing the callers down. Fresh simulator per client, seed ${o.seed}.`,
    `"in the window" = calls that started during the brownout. "requests in the 503 window" = requests the server received while browning out (the extra load on an overloaded server).`,
    `Preset variants: defaults (3 attempts, backoff 1 s then 2 s with equal jitter, retry budget 20 % + 10 retries/s over 10 s, breaker opening above 50 % failures once 10 attempts are in its 10 s window); \`retry: { budget: false }\`; \`circuitBreaker: false\`; both off.`,
  ].join('\n');
  const reading = [
    `With its defaults the preset got ${line(def)}. Its circuit breaker for \`GET /techniques/thumbnail-v3\` saw more than 50 % failures and opened, refusing ${int(refused(def))} calls at once with \`CircuitOpenError\` (no request sent); a 60 % brownout looks like an outage to the default threshold.`,
    `So during the window the preset did about as well as no retry at all (bare got: ${line(by('bare got'))}) and clearly worse than got's default retry (${line(by('got default'))}) and FLORA's SDK (${line(by('FLORA SDK'))}), while sending the overloaded server the fewest requests of all.`,
    `With the budget off (${line(f(BUDGET_OFF))}) nothing changes, because the breaker decides first.`,
    `Without the breaker the retry budget shows its trade-off: budget on ${line(f(BREAKER_OFF))} (${int(budgetRefused(f(BREAKER_OFF)))} calls refused with \`retry_budget_exhausted\`), budget off ${line(f(BOTH_OFF))}.`,
    'Where the preset loses, then: on a partial brownout of one operation, its defaults favour protecting FLORA (fewer requests, fast failures) over the success rate of this caller.',
    `A low-volume, user-facing caller that must succeed can pass \`circuitBreaker: false\` and \`retry: { budget: false }\` (with a per-call \`deadlineMs\`): measured above at ${line(f(BOTH_OFF))}, on par with got's retry, accepting the extra load shown in the requests/call column. (A higher \`failureThresholdPercentage\` instead of no breaker was not measured here.)`,
  ].join(' ');
  return {
    title: '3. Brownout (60 % 503 for 5 s, no retry-after)',
    setup,
    body: markdownTable(
      [
        'client',
        'succeeded',
        'success rate',
        'success in the window',
        'server requests',
        'requests/call',
        '503s served',
        'requests in the 503 window',
        'p50 call latency',
        'p99 call latency',
        'shed (cap reached)',
        'failures (top 3)',
      ],
      rows,
    ),
    reading,
  };
}

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
const BUDGET_OFF_MORE = 'preset, budget off, 6 attempts';
const BREAKER_50 = 'preset, breaker at 50 % (opossum default)';

/** The preset, its variants (no budget; no budget and more attempts; opossum's 50 % breaker), and the baselines. */
export const BROWNOUT_CONTENDERS: readonly ClientFactory[] = [
  preset(),
  preset({ name: BUDGET_OFF, options: () => ({ retry: { budget: false } }) }),
  preset({ name: BUDGET_OFF_MORE, options: () => ({ retry: { budget: false, maxAttempts: 6 } }) }),
  preset({ name: BREAKER_50, options: () => ({ circuitBreaker: { failureThresholdPercentage: 50 } }) }),
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
    `Preset variants: defaults (3 attempts, backoff 1 s then 2 s with equal jitter, retry budget 20 % + 10 retries/s over 10 s, breaker opening above 80 % failures once 10 attempts are in its 10 s window); \`retry: { budget: false }\`; \`retry: { budget: false, maxAttempts: 6 }\`; \`circuitBreaker: { failureThresholdPercentage: 50 }\` (opossum's default threshold).`,
  ].join('\n');
  const breakerLine = (x: (typeof figures)[number] | undefined, what: string) =>
    refused(x) > 0
      ? `${what} opened and refused ${int(refused(x))} calls at once with \`CircuitOpenError\` (no request sent)`
      : `${what} stayed closed`;
  const reading = [
    `With its defaults the preset got ${line(def)}; the retry budget refused ${int(budgetRefused(def))} retries (\`retry_budget_exhausted\`) to keep the extra load on the struggling server within its 20 % share, and ${breakerLine(def, 'the breaker')}.`,
    `The baselines: got's default retry ${line(by('got default'))}, FLORA's SDK ${line(by('FLORA SDK'))}, no retry ${line(by('bare got'))}.`,
    `Turning the budget off trades load for success: ${line(f(BUDGET_OFF))} with 3 attempts, ${line(f(BUDGET_OFF_MORE))} with 6 (the later attempts land after the window).`,
    `With opossum's 50 % threshold (${line(f(BREAKER_50))}), ${breakerLine(f(BREAKER_50), 'the breaker')}: a 60 % brownout looks like an outage to it, which is why the preset's default is 80 %.`,
    "Where the preset loses: with the budget on, it serves fewer calls in the window than got's retry or the SDK, by design; a caller that must succeed and can afford the load passes `retry: { budget: false }` (and more attempts, with a per-call `deadlineMs`).",
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

import type { ClientFactory } from '../BenchClient.js';
import { FAILURE_CONTENDERS } from '../clients/CONTENDERS.js';
import { countAttempts } from '../countAttempts.js';
import { failureCell, fixed, int, ms, pct } from '../report/format.js';
import { markdownTable } from '../report/markdownTable.js';
import type { ScenarioReport } from '../report/ScenarioReport.js';
import { type FreshRun, runOnFreshSimulator } from '../runOnFreshSimulator.js';
import { runWorkload } from '../runWorkload.js';
import { summarizeCalls } from '../summarizeCalls.js';

export interface StormOptions {
  readonly callers: number;
  readonly callsPerCaller: number;
  readonly thinkMs: number;
  readonly requestsPerSecond: number;
  readonly seed: number;
}

export const STORM_DEFAULTS: StormOptions = {
  callers: 50,
  callsPerCaller: 4,
  thinkMs: 50,
  requestsPerSecond: 20,
  seed: 7,
};

/** The rate-limit storm: many callers against one workspace's token bucket, 429 with `retry-after` seconds. */
export async function stormScenario(
  o: StormOptions = STORM_DEFAULTS,
  contenders: readonly ClientFactory[] = FAILURE_CONTENDERS,
): Promise<ScenarioReport> {
  const runs: FreshRun[] = [];
  for (const factory of contenders) {
    const run = await runOnFreshSimulator(
      factory,
      {
        seed: o.seed,
        rateLimit: {
          requestsPerSecond: o.requestsPerSecond,
          burst: o.requestsPerSecond,
          retryAfter: 'seconds',
        },
      },
      (client) =>
        runWorkload({
          client,
          callers: o.callers,
          callsPerCaller: o.callsPerCaller,
          thinkMs: o.thinkMs,
          operation: () => ({ method: 'GET', path: 'techniques/thumbnail-v3' }),
        }),
    );
    process.stderr.write(`[bench] storm ${run.client}: ${run.samples.length} calls in ${ms(run.wallMs)}\n`);
    runs.push(run);
  }
  const logical = o.callers * o.callsPerCaller;
  const rows = runs.map((r) => {
    const s = summarizeCalls(r.samples);
    const requests = countAttempts(r.stats);
    return [
      r.client,
      `${s.ok}/${s.calls}`,
      pct(s.successRate),
      int(requests),
      fixed(requests / s.calls),
      int(countAttempts(r.stats, { status: 429 })),
      ms(s.p50),
      ms(s.p99),
      ms(r.wallMs),
      failureCell(s.failures),
    ];
  });
  const by = (name: string) => runs.find((r) => r.client.startsWith(name));
  const amp = (r: FreshRun | undefined) => (r ? countAttempts(r.stats) / r.samples.length : Number.NaN);
  const ok = (r: FreshRun | undefined) => (r ? summarizeCalls(r.samples).successRate : Number.NaN);
  const lat = (r: FreshRun | undefined) => {
    const s = r ? summarizeCalls(r.samples) : undefined;
    return s ? `${ms(s.p50)} / ${ms(s.p99)}` : '–';
  };
  const p = by('flora-resilience');
  const g = by('got default');
  const sdk = by('FLORA SDK');
  const setup = [
    `Simulator: \`rateLimit: { requestsPerSecond: ${o.requestsPerSecond}, burst: ${o.requestsPerSecond}, retryAfter: 'seconds' }\` (one token bucket for the workspace; a 429 carries \`retry-after: <ceil seconds until a token>\`).`,
    `Workload: ${o.callers} concurrent callers × ${o.callsPerCaller} calls = ${logical} logical calls of \`GET techniques/thumbnail-v3\`, ${o.thinkMs} ms of caller work between two calls, all callers starting at once. Each client gets its own fresh simulator (seed ${o.seed}).`,
    `At ${o.requestsPerSecond} req/s (burst ${o.requestsPerSecond}) the server cannot serve all ${logical} calls in less than about ${fixed((logical - o.requestsPerSecond) / o.requestsPerSecond, 1)} s: a wall time near that is the floor for a client that makes every call succeed; a client that gives up on calls can finish sooner.`,
    '"server requests" counts every request the simulator received (429s included); "requests/call" = server requests ÷ logical calls (the amplification; 1.00 = no extra load).',
  ].join('\n');
  const reading = [
    `Goal for the preset: 100 % success with ≤ 1.3 server requests per call; measured ${pct(ok(p))} and ${fixed(amp(p))} (${ok(p) === 1 && amp(p) <= 1.3 ? 'met' : '**not met**'}).`,
    `got's default retry reached ${pct(ok(g))} at ${fixed(amp(g))} requests per call and FLORA's SDK ${pct(ok(sdk))} at ${fixed(amp(sdk))}: both honour \`retry-after\`, but every caller sleeps and retries on its own, so the released callers collide again at the same second and some run out of their 3 attempts.`,
    'The preset turns the first 429 into a pause of the whole workspace: the other callers queue in `beforeRequest` instead of spending attempts, and are released spread out, so almost every request after the first wave is served.',
    `Where the preset loses: latency. A queued call waits for the cooldown instead of failing, so the preset's p50 / p99 (${lat(p)}) include that wait, against ${lat(g)} for got and ${lat(sdk)} for the SDK (whose failed calls gave up), and ${lat(by('bare got'))} for bare got, which fails most calls at once. Set a per-call \`deadlineMs\` to bound the wait; a call whose wait does not fit fails at once with \`deadline_exceeded\`.`,
  ].join(' ');
  return {
    title: '2. Rate-limit storm (429 with retry-after)',
    setup,
    body: markdownTable(
      [
        'client',
        'succeeded',
        'success rate',
        'server requests',
        'requests/call',
        '429s served',
        'p50 call latency',
        'p99 call latency',
        'wall time',
        'failures (top 3)',
      ],
      rows,
    ),
    reading,
  };
}

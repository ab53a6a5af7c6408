import type { ClientFactory } from '../BenchClient.js';
import type { CallSample } from '../CallSample.js';
import { FAILURE_CONTENDERS } from '../clients/CONTENDERS.js';
import { countAttempts } from '../countAttempts.js';
import { failureCell, fixed, int, ms, pct } from '../report/format.js';
import { markdownTable } from '../report/markdownTable.js';
import type { ScenarioReport } from '../report/ScenarioReport.js';
import { type FreshRun, runOnFreshSimulator } from '../runOnFreshSimulator.js';
import { type OpenLoopResult, runOpenLoop } from '../runOpenLoop.js';
import { summarizeCalls } from '../summarizeCalls.js';

export interface OutageOptions {
  /** New calls per second; the even ones call the healthy technique, the odd ones the dead one. */
  readonly callsPerSecond: number;
  readonly maxInFlight: number;
  readonly fromMs: number;
  readonly untilMs: number;
  /** Calls keep starting at least this long, and after it until the dead technique answered again… */
  readonly minDurationMs: number;
  /** …but never after this. */
  readonly maxDurationMs: number;
  readonly seed: number;
}

export const OUTAGE_DEFAULTS: OutageOptions = {
  callsPerSecond: 40,
  maxInFlight: 500,
  fromMs: 1000,
  untilMs: 9000,
  minDurationMs: 10_500,
  maxDurationMs: 30_000,
  seed: 7,
};

const DEAD = 'techniques/upscale-4k';
const HEALTHY = 'techniques/thumbnail-v3';

/** One technique down (503 on every request to it for a window) while another one works. */
export async function outageScenario(
  o: OutageOptions = OUTAGE_DEFAULTS,
  contenders: readonly ClientFactory[] = FAILURE_CONTENDERS,
): Promise<ScenarioReport> {
  const runs: (FreshRun<OpenLoopResult> & { recoveredAt: number | undefined })[] = [];
  for (const factory of contenders) {
    let recoveredAt: number | undefined;
    const run = await runOnFreshSimulator(
      factory,
      {
        seed: o.seed,
        faults: [
          {
            kind: 'status',
            status: 503,
            code: 'service_unavailable',
            path: `/${DEAD}`,
            from: o.fromMs,
            until: o.untilMs,
          },
        ],
      },
      (client, simStartedAt) =>
        runOpenLoop({
          client,
          callsPerSecond: o.callsPerSecond,
          maxInFlight: o.maxInFlight,
          durationMs: o.maxDurationMs,
          keepGoing: (elapsed) => elapsed < o.minDurationMs || recoveredAt === undefined,
          operation: (i) => ({ method: 'GET', path: i % 2 === 0 ? HEALTHY : DEAD }),
          onSample: (s: CallSample) => {
            if (
              s.path === DEAD &&
              s.ok &&
              s.endedAt >= simStartedAt + o.untilMs &&
              recoveredAt === undefined
            ) {
              recoveredAt = s.endedAt;
            }
          },
        }),
    );
    process.stderr.write(`[bench] outage ${run.client}: ${run.samples.length} calls in ${ms(run.wallMs)}\n`);
    runs.push({ ...run, recoveredAt });
  }
  const windowS = (o.untilMs - o.fromMs) / 1000;
  const figures = runs.map((r) => {
    const windowEnd = r.simStartedAt + o.untilMs;
    const healthy = summarizeCalls(r.samples.filter((s) => s.path === HEALTHY));
    const deadAll = r.samples.filter((s) => s.path === DEAD);
    const deadInWindow = summarizeCalls(
      deadAll.filter((s) => s.startedAt >= r.simStartedAt + o.fromMs && s.startedAt < windowEnd),
    );
    const deadRequests = countAttempts(r.stats, {
      path: `/${DEAD}`,
      from: r.simStartedAt + o.fromMs,
      until: windowEnd,
    });
    const requests = countAttempts(r.stats);
    const recovery = r.recoveredAt === undefined ? Number.NaN : r.recoveredAt - windowEnd;
    return { r, healthy, deadInWindow, deadRequests, requests, recovery };
  });
  const rows = figures.map(({ r, healthy, deadInWindow, deadRequests, requests, recovery }) => [
    r.client,
    `${pct(healthy.successRate)} of ${healthy.calls}`,
    int(deadInWindow.calls),
    `${int(deadRequests)} (${fixed(deadRequests / windowS, 1)}/s)`,
    fixed(deadRequests / Math.max(1, deadInWindow.calls)),
    `${ms(deadInWindow.failedP50)} / ${ms(deadInWindow.failedP99)}`,
    Number.isNaN(recovery) ? `not within ${o.maxDurationMs / 1000} s` : ms(recovery),
    fixed(requests / r.samples.length),
    failureCell(deadInWindow.failures),
  ]);
  const by = (name: string) => figures.find((x) => x.r.client.startsWith(name));
  const p = by('flora-resilience');
  const g = by('got default');
  const sdk = by('FLORA SDK');
  const bare = by('bare got');
  const dead = (x: typeof p) => (x ? int(x.deadRequests) : '–');
  const setup = [
    `Simulator fault: \`{ kind: 'status', status: 503, code: 'service_unavailable', path: '/${DEAD}', from: ${o.fromMs}, until: ${o.untilMs} }\`: the technique \`${DEAD}\` answers every request with 503 from ${o.fromMs / 1000} s to ${o.untilMs / 1000} s after start (${windowS} s); \`${HEALTHY}\` stays healthy throughout.`,
    `Workload: open loop, ${o.callsPerSecond} new calls per second (at most ${o.maxInFlight} in flight), alternating \`GET ${HEALTHY}\` and \`GET ${DEAD}\` (${o.callsPerSecond / 2}/s each), arriving on schedule whatever their latency. Calls keep starting for at least ${o.minDurationMs / 1000} s and then until the dead technique has answered a call after the window (at most ${o.maxDurationMs / 1000} s). Fresh simulator per client, seed ${o.seed}.`,
    '"requests to the dead technique" = requests the server received for it inside the window (server side). "recovery" = from the end of the window to the first successful call to it (client side). Failing-call latency is over the calls to the dead technique that started in the window and failed.',
  ].join('\n');
  const reading = [
    `During the ${windowS} s window the dead technique received ${dead(p)} requests from the preset, against ${dead(g)} from got's default retry, ${dead(sdk)} from FLORA's SDK and ${dead(bare)} from bare got (no retry, so one request per call).`,
    "The preset's breaker for `GET /techniques/upscale-4k` opens after its first failures and then refuses calls at once with `CircuitOpenError` (no request, no retry), letting one probe through per open period (1 s, 2 s, 4 s … up to 30 s); the healthy technique has its own breaker and is not affected.",
    `Recovery: the preset's breaker only learns that the technique is back when its next probe is due, so its recovery time depends on where the window ends within the current open period (between 0 and the period, which doubles with each failed probe: about 8 s by the end of an 8 s outage, at most \`maxResetTimeoutMs\`, 30 s). Here the first success came ${p ? ms(p.recovery) : '–'} after the window ended, against ${g ? ms(g.recovery) : '–'} (got), ${sdk ? ms(sdk.recovery) : '–'} (SDK) and ${bare ? ms(bare.recovery) : '–'} (bare got), which keep sending requests and so notice at once${p && p.recovery > 1000 ? ': this is where the preset loses' : '; in this run the probe happened to fall just after the window, and an earlier run of the same scenario measured about 8 s: that lag is where the preset can lose'}.`,
  ].join(' ');
  return {
    title: '4. Outage of one technique (503 on every request for 8 s)',
    setup,
    body: markdownTable(
      [
        'client',
        'healthy technique: success',
        'calls to the dead technique in the window',
        'requests to the dead technique in the window',
        'requests per such call',
        'failing calls p50 / p99',
        'recovery after the window',
        'requests/call overall',
        'dead-technique failures (top 3)',
      ],
      rows,
    ),
    reading,
  };
}

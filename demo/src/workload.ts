import { classifyRun, type FloraError, fromGotError, isFloraError } from '@flora-resilience/errors';
import { type FloraClient, waitForRun } from '@flora-resilience/got';
import type { DemoStats } from './DemoStats.js';
import { DEAD_TECHNIQUE, phaseAt } from './timeline.js';

const TECHNIQUES = ['thumbnail-v3', DEAD_TECHNIQUE, 'cctv-cam'] as const;
/** Inputs that match each technique's schema (GET /techniques/{slug}), as a real service would send. */
const RUN_INPUTS: Record<string, readonly object[]> = {
  'thumbnail-v3': [{ id: 'prompt', type: 'text', value: 'a red fox in the snow, golden hour' }],
  [DEAD_TECHNIQUE]: [{ id: 'image', type: 'imageUrl', value: 'https://media.flora.ai/examples/fox.png' }],
};

type Action = (client: FloraClient, stats: DemoStats, n: number) => Promise<void>;

/** A service's mix of FLORA calls: mostly reads, some run creations that are then polled to the end. */
const ACTIONS: readonly { weight: number; act: Action }[] = [
  {
    weight: 4,
    act: (c, _s, n) => c.get(`techniques/${TECHNIQUES[n % TECHNIQUES.length]}`).then(() => undefined),
  },
  { weight: 2, act: (c) => c.get('techniques', { searchParams: { limit: 10 } }).then(() => undefined) },
  { weight: 1, act: (c) => c.get('models').then(() => undefined) },
  { weight: 2, act: (c, s, n) => startAndWait(c, s, TECHNIQUES[n % 2]!) },
];
const TOTAL = ACTIONS.reduce((sum, a) => sum + a.weight, 0);

function pick(n: number): Action {
  let r = (n * 7919) % TOTAL;
  for (const a of ACTIONS) {
    if (r < a.weight) return a.act;
    r -= a.weight;
  }
  return ACTIONS[0]!.act;
}

async function startAndWait(client: FloraClient, stats: DemoStats, slug: string): Promise<void> {
  const run = await client
    .post(`techniques/${slug}/runs`, { json: { inputs: RUN_INPUTS[slug], mode: 'async' } })
    .json<object>();
  stats.runsStarted += 1;
  try {
    // FLORA advises polling every 2–5 s; the demo's runs last ~1.5 s, so its cadence is compressed too.
    await waitForRun(client, run, {
      minIntervalMs: 500,
      maxIntervalMs: 1_000,
      maxFirstWaitMs: 1_000,
      deadlineMs: 20_000,
    });
    stats.runsCompleted += 1;
  } catch (error) {
    if (isFloraError(error) && error.category === 'run_failed') {
      const failure = classifyRun({ status: 'failed', error_code: error.code, error_message: error.message });
      stats.bump(stats.runFailuresByRecovery, failure?.recovery ?? 'unknown');
    }
    throw error;
  }
}

function record(stats: DemoStats, error: unknown): void {
  const e: FloraError = isFloraError(error) ? error : fromGotError(error);
  stats.bump(stats.failuresByCategory, e.category);
  if (!stats.examples.has(e.category)) stats.examples.set(e.category, e);
}

/** Runs workers until `endAt`, scaling their number to the current phase. */
export async function runWorkload(
  client: FloraClient,
  stats: DemoStats,
  startedAt: number,
  endAt: number,
): Promise<void> {
  let counter = 0;
  const worker = async (index: number) => {
    while (Date.now() < endAt) {
      const phase = phaseAt(Date.now() - startedAt);
      if (index >= phase.workers) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      const n = counter++;
      stats.calls += 1;
      stats.inFlight += 1;
      try {
        await pick(n)(client, stats, n);
        stats.successes += 1;
      } catch (error) {
        record(stats, error);
      } finally {
        stats.inFlight -= 1;
      }
      if (phase.thinkMs > 0) await new Promise((r) => setTimeout(r, phase.thinkMs));
    }
  };
  const most = 40;
  await Promise.all(Array.from({ length: most }, (_, i) => worker(i)));
}

import { createFloraClient } from '@flora-resilience/got';
import { SIMULATOR_API_KEY, SIMULATOR_WORKSPACE_ID, startSimulator } from '@flora-resilience/simulator';
import { Registry } from 'prom-client';
import { DemoStats } from './DemoStats.js';
import { startMetricsServer } from './metricsServer.js';
import { startProgress } from './progress.js';
import { printReport } from './report.js';
import { DEMO_DURATION_MS, PHASES, simulatorOptions } from './timeline.js';
import { runWorkload } from './workload.js';

const out = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const sim = await startSimulator(simulatorOptions());
  const registry = new Registry();
  const metricsPort = process.env.DEMO_METRICS_PORT ? Number(process.env.DEMO_METRICS_PORT) : 0;
  const metricsServer = await startMetricsServer(registry, metricsPort);
  const stats = new DemoStats();
  const startedAt = Date.now();
  const count = (_obj: object, _msg: string) => {
    stats.logLines += 1;
  };
  const client = createFloraClient({
    apiKey: SIMULATOR_API_KEY,
    baseUrl: sim.url,
    workspaceId: SIMULATOR_WORKSPACE_ID,
    registry,
    logger: { debug: () => {}, info: () => {}, warn: count, error: count },
    timeoutMs: 10_000,
    deadlineMs: 30_000,
    env: {},
  });
  const { retry, breakers } = client.flora;
  const subscriptions = [
    retry?.onRetry((e) => stats.bump(stats.retriesByReason, e.reason)),
    retry?.onGiveUp((e) => stats.bump(stats.giveUpsByReason, e.reason)),
    breakers?.onStateChange((e) => {
      stats.breakerTransitions.push({ key: e.key, from: e.from, to: e.to, at: e.time - startedAt });
      if (e.to === 'closed') stats.openBreakers.delete(e.key);
      else stats.openBreakers.add(e.key);
    }),
  ];

  out('FLORA resilience demo: the flora-resilience preset (createFloraClient) against a FLORA simulator.');
  out(`  simulator  ${sim.url}   (workspace limit 20 req/s; 25% of runs fail with production codes)`);
  out(`  metrics    ${metricsServer.url}   (Prometheus text format, live during the run)`);
  out(`  timeline   ${PHASES.map((p) => `${p.from / 1000}–${p.until / 1000} s ${p.name}`).join(' · ')}`);
  out();

  const stopProgress = startProgress(stats, startedAt, () => sim.stats().requests);
  try {
    await runWorkload(client, stats, startedAt, startedAt + DEMO_DURATION_MS);
  } finally {
    stopProgress();
  }
  await printReport(stats, sim.stats(), registry, SIMULATOR_WORKSPACE_ID);
  for (const s of subscriptions) s?.dispose();
  client.flora.dispose();
  await metricsServer.close();
  await sim.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);

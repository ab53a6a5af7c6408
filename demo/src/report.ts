import { toSupportTicket } from '@flora-resilience/errors';
import { formatSupportTicket } from '@flora-resilience/request-id';
import type { SimulatorStats } from '@flora-resilience/simulator';
import type { Registry } from 'prom-client';
import type { DemoStats } from './DemoStats.js';

const table = (map: Map<string, number>) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `    ${k.padEnd(28)} ${String(v).padStart(6)}`)
    .join('\n') || '    (none)';

async function sumOf(registry: Registry, name: string): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.reduce((s, v) => s + v.value, 0);
}

/** The closing report: what the workload saw, what the server saw, and one ticket ready for FLORA support. */
export async function printReport(
  stats: DemoStats,
  server: SimulatorStats,
  registry: Registry,
  workspaceId: string,
): Promise<void> {
  const gotCalls = await sumOf(registry, 'flora_client_calls_total');
  const attempts = await sumOf(registry, 'flora_client_attempts_total');
  const out: string[] = [];
  out.push('', '=== FLORA demo: closing report ===', '');
  out.push(`  logical operations        ${stats.calls}   (reads, and run creations polled to the end)`);
  out.push(
    `  succeeded                 ${stats.successes}  (${((100 * stats.successes) / Math.max(1, stats.calls)).toFixed(1)}%)`,
  );
  out.push(`  failed                    ${stats.failures}`);
  out.push(`  runs started / completed  ${stats.runsStarted} / ${stats.runsCompleted}`);
  out.push('', '  failures by category:', table(stats.failuresByCategory));
  out.push('', '  failed runs by FLORA recovery group:', table(stats.runFailuresByRecovery));
  out.push('', '  retries by reason:', table(stats.retriesByReason));
  out.push('', '  calls that gave up, by reason:', table(stats.giveUpsByReason));
  out.push('', `  breaker transitions (${stats.breakerTransitions.length}):`);
  for (const t of stats.breakerTransitions.slice(0, 12)) {
    out.push(`    ${(t.at / 1000).toFixed(1).padStart(5)} s  ${t.key.padEnd(40)} ${t.from} → ${t.to}`);
  }
  if (stats.breakerTransitions.length > 12)
    out.push(`    … and ${stats.breakerTransitions.length - 12} more`);
  out.push('');
  out.push(`  HTTP calls through got          ${gotCalls}`);
  out.push(`  attempts sent by the client      ${attempts}`);
  out.push(`  requests the server received     ${server.requests}`);
  out.push(`  server requests per logical call ${(server.requests / Math.max(1, gotCalls)).toFixed(3)}`);
  out.push(
    `  429s / 503s the server sent      ${server.byStatus['429'] ?? 0} / ${server.byStatus['503'] ?? 0}`,
  );
  out.push(
    `  runs the server created          ${server.sideEffects.runsCreated} (duplicates: ${server.sideEffects.runsCreated - stats.runsStarted})`,
  );
  out.push(`  log lines written (warn/error)    ${stats.logLines}`);
  const example =
    stats.examples.get('server') ??
    stats.examples.get('rate_limited') ??
    [...stats.examples.values()].find((e) => e.requestId);
  if (example) {
    out.push('', '  example support ticket (toSupportTicket(error).text):', '');
    out.push(
      toSupportTicket(example, { workspaceId })
        .text.split('\n')
        .map((l) => `    ${l}`)
        .join('\n'),
    );
    out.push(
      '',
      '  the same as one log line (formatSupportTicket):',
      `    ${formatSupportTicket(example, { workspaceId })}`,
    );
  }
  out.push('');
  process.stdout.write(`${out.join('\n')}\n`);
}

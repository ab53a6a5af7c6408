import { fileURLToPath } from 'node:url';
import type { ScenarioReport } from '../report/ScenarioReport.js';
import { type ChildScriptResult, runChildScript } from '../runChildScript.js';

const CWD = fileURLToPath(new URL('../../../packages/circuit-breaker/', import.meta.url));
const TIMEOUT_MS = 180_000;

const BENCHES = [
  {
    name: 'keys.ts: 100,000 distinct keys through one registry (LRU bound, `maxKeys` 1000)',
    args: ['--conditions=@flora-resilience/source', '--expose-gc', '--import', 'tsx', 'bench/keys.ts'],
  },
  {
    name: 'failfast.ts: latency of a call refused by an open breaker (real got, simulator in process)',
    args: ['--conditions=@flora-resilience/source', '--import', 'tsx', 'bench/failfast.ts'],
  },
] as const;

const block = (r: ChildScriptResult) =>
  [
    '```',
    r.stdout.trimEnd() || '(no output)',
    ...(r.exitCode === 0 ? [] : [`exit code ${r.exitCode}${r.timedOut ? ' (killed after timeout)' : ''}`]),
    ...(r.exitCode === 0 || !r.stderr ? [] : [r.stderr.trimEnd().split('\n').slice(-10).join('\n')]),
    '```',
  ].join('\n');

/** The circuit-breaker package's own benches, run as child processes, their output captured. */
export async function breakerBenchesScenario(): Promise<ScenarioReport> {
  const parts: string[] = [];
  let failed = 0;
  for (const b of BENCHES) {
    const r = await runChildScript(CWD, b.args, TIMEOUT_MS);
    process.stderr.write(`[bench] breaker ${b.name.split(':')[0]}: exit ${r.exitCode}\n`);
    if (r.exitCode !== 0) failed++;
    parts.push(
      `### ${b.name}`,
      '',
      `From \`packages/circuit-breaker\`: \`${r.command}\` (${(r.durationMs / 1000).toFixed(1)} s)`,
      '',
      block(r),
      '',
    );
  }
  return {
    title: '5. Circuit-breaker benches (memory under many keys, fail-fast latency)',
    setup:
      'The two benches of `packages/circuit-breaker/bench/`, each in its own Node process (keys.ts needs `--expose-gc` to read the heap after a full collection). Their output is reproduced unchanged.',
    body: parts.join('\n').trimEnd(),
    reading:
      failed > 0
        ? `${failed} of the benches did not finish cleanly; see the output above.`
        : 'keys.ts: the registry never holds more than `maxKeys` breakers, so the heap after 100,000 distinct keys stays at the level of a full registry (compare "heap with the registry full" with "heap after 100k keys"); the LRU evicted the rest. failfast.ts: a call refused by an open breaker sends no request (the server count above) and rejects in well under a millisecond at p50, through the whole got pipeline.',
  };
}

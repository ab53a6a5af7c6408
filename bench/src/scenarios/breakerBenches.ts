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

const grab = (text: string | undefined, re: RegExp) => re.exec(text ?? '')?.[1] ?? '?';

/** "What this shows", from the figures the two benches printed. */
function readBenches([keys, failfast]: readonly string[]): string {
  return [
    `keys.ts: after 100,000 distinct keys the registry holds ${grab(keys, /registry size:\s+(\d+)/)} breakers and the heap (after a full GC) is ${grab(keys, /heap after 100k keys \(GC\):\s+([\d.]+ MB)/)}, against ${grab(keys, /registry full \(1000 keys\): ([\d.]+ MB)/)} with the registry just full: memory is bounded by \`maxKeys\`, not by the number of keys seen; the LRU evicted the rest.`,
    `failfast.ts: ${grab(failfast, /open-breaker calls:\s+(\d+)/)} calls refused by an open breaker sent ${grab(failfast, /requests reaching server:\s+(\d+)/)} requests and rejected with \`CircuitOpenError\` in ${grab(failfast, /p50 ([\d.]+)/)} ms at p50 and ${grab(failfast, /p99 ([\d.]+)/)} ms at p99, through got with \`floraErrors\` and the breaker (not the whole preset).`,
  ].join(' ');
}

/** The circuit-breaker package's own benches, run as child processes, their output captured. */
export async function breakerBenchesScenario(): Promise<ScenarioReport> {
  const parts: string[] = [];
  const outputs: string[] = [];
  let failed = 0;
  for (const b of BENCHES) {
    const r = await runChildScript(CWD, b.args, TIMEOUT_MS);
    process.stderr.write(`[bench] breaker ${b.name.split(':')[0]}: exit ${r.exitCode}\n`);
    if (r.exitCode !== 0) failed++;
    outputs.push(r.stdout);
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
        : readBenches(outputs),
  };
}

/**
 * `pnpm bench` (from the repo root): every scenario in turn, then bench/RESULTS.md.
 * `--only=overhead,storm,brownout,outage,breaker` runs a subset and prints the markdown instead of
 * writing RESULTS.md (for working on one scenario).
 */

import os from 'node:os';
import { machineInfo } from './report/machineInfo.js';
import type { ScenarioReport } from './report/ScenarioReport.js';
import { renderResults, writeResults } from './report/writeResults.js';
import { breakerBenchesScenario } from './scenarios/breakerBenches.js';
import { brownoutScenario } from './scenarios/brownout.js';
import { outageScenario } from './scenarios/outage.js';
import { overheadScenario } from './scenarios/overhead.js';
import { stormScenario } from './scenarios/storm.js';

const SCENARIOS: Record<string, () => Promise<ScenarioReport>> = {
  overhead: () => overheadScenario(),
  storm: () => stormScenario(),
  brownout: () => brownoutScenario(),
  outage: () => outageScenario(),
  breaker: () => breakerBenchesScenario(),
};

const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
for (const name of only ?? []) {
  if (!(name in SCENARIOS)) throw new RangeError(`unknown scenario ${JSON.stringify(name)}`);
}

const startedAt = new Date();
const t0 = performance.now();
const machine = machineInfo();
const sections: ScenarioReport[] = [];
for (const [name, run] of Object.entries(SCENARIOS)) {
  if (only && !only.includes(name)) continue;
  const s = performance.now();
  process.stderr.write(`[bench] ${name}…\n`);
  sections.push(await run());
  process.stderr.write(`[bench] ${name} done in ${((performance.now() - s) / 1000).toFixed(1)} s\n`);
}
machine.push(
  `Load average after the run: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(
      ' / ',
    )} (other work on this machine competes for the same cores; the overhead blocks alternate so that both sides share it)`,
);
const doc = {
  startedAt,
  durationMs: performance.now() - t0,
  command: 'pnpm bench',
  machine,
  sections,
};
if (only) {
  console.log(renderResults(doc));
} else {
  const path = new URL('../RESULTS.md', import.meta.url);
  writeResults(path, doc);
  console.log(`bench: wrote ${path.pathname} in ${(doc.durationMs / 1000).toFixed(0)} s`);
}

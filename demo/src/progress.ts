import type { DemoStats } from './DemoStats.js';
import { phaseAt } from './timeline.js';

/**
 * A live status line: rewritten in place on a terminal, one line every 3 s otherwise (CI logs).
 * Returns `stop()`.
 */
export function startProgress(stats: DemoStats, startedAt: number, serverRequests: () => number): () => void {
  const tty = process.stdout.isTTY === true;
  let last = 0;
  const line = () => {
    const elapsed = Date.now() - startedAt;
    const phase = phaseAt(elapsed);
    const open = stats.openBreakers.size;
    return (
      `${(elapsed / 1000).toFixed(1).padStart(5)} s  ${phase.name.padEnd(22)}` +
      ` calls ${String(stats.calls).padStart(5)}  ok ${String(stats.successes).padStart(5)}` +
      `  failed ${String(stats.failures).padStart(4)}  in-flight ${String(stats.inFlight).padStart(3)}` +
      `  retries ${String(stats.retries).padStart(4)}  runs ${stats.runsCompleted}/${stats.runsStarted}` +
      `  breakers open ${open}  server requests ${serverRequests()}`
    );
  };
  const timer = setInterval(
    () => {
      if (tty) {
        process.stdout.write(`\r${line()}\x1b[K`);
      } else if (Date.now() - last >= 3_000) {
        last = Date.now();
        process.stdout.write(`${line()}\n`);
      }
    },
    tty ? 250 : 500,
  );
  return () => {
    clearInterval(timer);
    process.stdout.write(tty ? `\r${line()}\x1b[K\n` : `${line()}\n`);
  };
}

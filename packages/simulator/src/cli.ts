#!/usr/bin/env node
import { runCli } from './cli/runCli.js';

const io = {
  out: (line: string) => console.log(line),
  err: (line: string) => console.error(line),
};

try {
  const sim = await runCli(process.argv.slice(2), io);
  if (sim) {
    const stop = (signal: string): void => {
      io.err(`${signal}: closing`);
      sim.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    // The server's handles are ref'ed by node:http itself; keep the process alive until a signal.
    setInterval(() => undefined, 1 << 30);
  }
} catch (err) {
  io.err(`flora-simulator: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
}

import { parseArgs } from 'node:util';
import { SIMULATOR_API_KEY } from '../constants.js';
import type { ScenarioName } from '../scenarios/SCENARIOS.js';
import type { Simulator } from '../server/Simulator.js';
import { startSimulator } from '../server/startSimulator.js';

/** Where the CLI writes; injected so the CLI logic is testable in-process. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export const CLI_USAGE =
  'Usage: flora-simulator [--port N] [--host H] [--scenario NAME] [--seed S]\n' +
  '  --port N         TCP port (default 0 = ephemeral)\n' +
  '  --host H         interface (default 127.0.0.1)\n' +
  '  --scenario NAME  rate-limit-storm | brownout | outage | failing-runs | chaos\n' +
  '  --seed S         PRNG seed, an integer or a string (default 1)';

/**
 * Parses argv and starts a simulator. Prints its URL (alone on stdout) and a banner on stderr.
 * Resolves with the simulator, or undefined after `--help`. Throws on bad arguments.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<Simulator | undefined> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      scenario: { type: 'string', short: 's' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.out(CLI_USAGE);
    return undefined;
  }
  let port = 0;
  if (values.port !== undefined) {
    if (!/^\d+$/.test(values.port))
      throw new RangeError(`--port must be an integer in 0..65535, got ${JSON.stringify(values.port)}`);
    port = Number(values.port);
  }
  const seed =
    values.seed === undefined ? undefined : /^-?\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  const sim = await startSimulator({
    port,
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values.scenario !== undefined ? { scenario: values.scenario as ScenarioName } : {}),
    ...(seed !== undefined ? { seed } : {}),
  });
  io.out(sim.url);
  io.err(
    `FLORA simulator listening on ${sim.url}` +
      `${sim.scenario ? ` (scenario ${sim.scenario})` : ''}; API key ${SIMULATOR_API_KEY}; Ctrl-C to stop.`,
  );
  return sim;
}

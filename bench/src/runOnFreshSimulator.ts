import { type SimulatorOptions, type SimulatorStats, startSimulator } from '@flora-resilience/simulator';
import type { BenchClient, ClientFactory } from './BenchClient.js';
import type { WorkloadResult } from './runWorkload.js';

export type FreshRun<R extends WorkloadResult = WorkloadResult> = R & {
  readonly client: string;
  readonly stats: SimulatorStats;
  /** The simulator's start (its clock, absolute ms): fault windows are relative to it. */
  readonly simStartedAt: number;
};

/**
 * One client against its own new simulator (same options and seed for every client, so each meets the
 * same faults on the same timeline), then the server's stats. The workload starts right after the
 * simulator does, so fault windows line up with the callers' time.
 */
export async function runOnFreshSimulator<R extends WorkloadResult>(
  factory: ClientFactory,
  simulator: SimulatorOptions,
  workload: (client: BenchClient, simStartedAt: number) => Promise<R>,
): Promise<FreshRun<R>> {
  const sim = await startSimulator(simulator);
  const client = factory(sim.url);
  try {
    const result = await workload(client, sim.startedAt);
    return { ...result, client: client.name, stats: sim.stats(), simStartedAt: sim.startedAt };
  } finally {
    client.dispose();
    await sim.close();
  }
}

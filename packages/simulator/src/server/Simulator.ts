import type { FaultController } from '../faults/FaultController.js';
import type { ScenarioName } from '../scenarios/SCENARIOS.js';
import type { SimulatorStats } from '../stats/SimulatorStats.js';

/** Credit balances (USD) per workspace. */
export interface CreditsController {
  /** Current balance of a workspace (default: `SIMULATOR_WORKSPACE_ID`). */
  get(workspaceId?: string): number;
  /** Sets the balance of a workspace, e.g. `set('ws_simulator', 0)` to provoke 402s. */
  set(workspaceId: string, usd: number): void;
}

/** A running simulator, as resolved by {@link startSimulator}. */
export interface Simulator {
  /** The API base including `/api/v1`, e.g. `http://127.0.0.1:54321/api/v1` (got's `prefixUrl`). */
  readonly url: string;
  /** `http://127.0.0.1:54321`. */
  readonly origin: string;
  readonly port: number;
  readonly host: string;
  /** The scenario applied at start, if any. */
  readonly scenario: ScenarioName | undefined;
  /** The simulator clock (`options.now`) when it started. */
  readonly startedAt: number;
  /** Add, remove and list faults at runtime. */
  readonly faults: FaultController;
  readonly credits: CreditsController;
  /** Milliseconds since start on the simulator clock (fault windows are relative to start). */
  elapsed(): number;
  /** True while an outage window holds the port closed. */
  isDown(): boolean;
  /**
   * Applies time-driven state (outage windows) now. Timers do this on their own with real or Jest fake
   * timers; call it after moving an injected `now` clock that no timer follows.
   */
  sync(): Promise<void>;
  /** A snapshot (deep copy) of the counters and the attempt ring. */
  stats(): SimulatorStats;
  /** Zeroes the counters and empties the attempt ring (state such as runs and balances is kept). */
  resetStats(): void;
  /** Stops listening, destroys every socket (keep-alive included) and clears every timer. Idempotent. */
  close(): Promise<void>;
}

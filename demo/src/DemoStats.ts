import type { FloraError } from '@flora-resilience/errors';

/** What the demo counts on the client side, for the progress line and the closing report. */
export class DemoStats {
  calls = 0;
  successes = 0;
  inFlight = 0;
  runsStarted = 0;
  runsCompleted = 0;
  readonly failuresByCategory = new Map<string, number>();
  readonly runFailuresByRecovery = new Map<string, number>();
  readonly retriesByReason = new Map<string, number>();
  readonly giveUpsByReason = new Map<string, number>();
  readonly breakerTransitions: { key: string; from: string; to: string; at: number }[] = [];
  readonly openBreakers = new Set<string>();
  /** One failure per category, kept for the example support ticket. */
  readonly examples = new Map<string, FloraError>();
  logLines = 0;

  bump(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  get failures(): number {
    let n = 0;
    for (const v of this.failuresByCategory.values()) n += v;
    return n;
  }

  get retries(): number {
    let n = 0;
    for (const v of this.retriesByReason.values()) n += v;
    return n;
  }
}

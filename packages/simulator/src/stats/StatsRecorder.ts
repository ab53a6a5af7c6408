import type { AttemptRecord, SimulatorStats } from './SimulatorStats.js';

const inc = (m: Record<string, number>, k: string, by = 1): void => {
  m[k] = (m[k] ?? 0) + by;
};

/** Counts requests and side effects; `snapshot()` returns a deep copy. */
export class StatsRecorder {
  readonly #limit: number;
  #s!: SimulatorStats;
  #ring: AttemptRecord[] = [];
  #head = 0;

  constructor(limit: number) {
    this.#limit = limit;
    this.reset();
  }

  reset(): void {
    this.#s = {
      requests: 0,
      byRoute: {},
      byStatus: {},
      byCode: {},
      byIdempotencyKey: {},
      sideEffects: { runsCreated: 0, assetsCreated: 0, projectsCreated: 0, creditsCharged: 0 },
      outages: 0,
      connectionsDroppedByOutage: 0,
      attempts: [],
      droppedAttempts: 0,
    };
    this.#ring = [];
    this.#head = 0;
  }

  record(a: AttemptRecord): void {
    const s = this.#s;
    s.requests++;
    inc(s.byRoute, a.route);
    inc(s.byStatus, a.status === null ? 'none' : String(a.status));
    if (a.code !== null) inc(s.byCode, a.code);
    if (a.idempotencyKey !== null) inc(s.byIdempotencyKey, a.idempotencyKey);
    if (this.#limit === 0) {
      s.droppedAttempts++;
    } else if (this.#ring.length < this.#limit) {
      this.#ring.push(a);
    } else {
      this.#ring[this.#head] = a;
      this.#head = (this.#head + 1) % this.#limit;
      s.droppedAttempts++;
    }
  }

  sideEffect(kind: 'runsCreated' | 'assetsCreated' | 'projectsCreated'): void {
    this.#s.sideEffects[kind]++;
  }

  charge(usd: number): void {
    this.#s.sideEffects.creditsCharged = Math.round((this.#s.sideEffects.creditsCharged + usd) * 1e9) / 1e9;
  }

  outageStarted(): void {
    this.#s.outages++;
  }

  droppedByOutage(): void {
    this.#s.connectionsDroppedByOutage++;
  }

  snapshot(): SimulatorStats {
    const attempts = [...this.#ring.slice(this.#head), ...this.#ring.slice(0, this.#head)].map((a) => ({
      ...a,
    }));
    return { ...structuredClone({ ...this.#s, attempts: [] }), attempts };
  }
}

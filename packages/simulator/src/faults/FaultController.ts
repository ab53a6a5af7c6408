import type { Prng } from '../prng/createPrng.js';
import type { FaultEntry, FaultSpec, OutageFault } from './FaultSpec.js';
import { validateFaultSpec } from './validateFaultSpec.js';

interface Registered {
  id: string;
  spec: FaultSpec;
  fired: number;
}

/** What the faults decide for one request. */
export interface FaultDecision {
  latencyMs: number;
  /** Ids of the latency faults that fired. */
  latencyIds: string[];
  /** A fault that answers instead of the handler (status/html/empty/truncated/huge/reset before). */
  before?: { id: string; spec: FaultSpec };
  /** A reset after the side effect. */
  after?: { id: string; spec: FaultSpec };
}

const windowed = (s: FaultSpec): boolean => s.from !== undefined || s.until !== undefined;
const routeOf = (s: FaultSpec): string => `${s.route ?? '*'}${s.path === undefined ? '' : ` ${s.path}`}`;

/**
 * The `faults` controller of a running simulator: register, remove and list faults at any time.
 * Every probability and latency range is drawn from the simulator's seeded PRNG, in request order.
 */
export class FaultController {
  readonly #faults: Registered[] = [];
  readonly #prng: Prng;
  readonly #onChange: () => void;
  #next = 1;

  /** @internal Created by `startSimulator`. */
  constructor(prng: Prng, onChange: () => void) {
    this.#prng = prng;
    this.#onChange = onChange;
  }

  /**
   * Registers a fault and returns its id. Throws a TypeError/RangeError for a bad spec, or a RangeError
   * when its time window overlaps one of an existing fault with the same route and kind.
   */
  add(spec: FaultSpec): string {
    const copy = validateFaultSpec(spec, 'faults.add(spec)');
    if (windowed(copy)) {
      const from = copy.from ?? 0;
      const until = copy.until ?? Number.POSITIVE_INFINITY;
      for (const other of this.#faults) {
        const o = other.spec;
        if (o.kind !== copy.kind || routeOf(o) !== routeOf(copy) || !windowed(o)) continue;
        const oFrom = o.from ?? 0;
        const oUntil = o.until ?? Number.POSITIVE_INFINITY;
        if (from < oUntil && oFrom < until) {
          throw new RangeError(
            `faults.add(spec): the ${copy.kind} window ${from}..${until} ms on route '${routeOf(copy)}' overlaps fault ${other.id} (${oFrom}..${oUntil} ms)`,
          );
        }
      }
    }
    const id = `fault_${this.#next++}`;
    this.#faults.push({ id, spec: copy, fired: 0 });
    this.#onChange();
    return id;
  }

  /** Removes a fault; returns whether it existed. */
  remove(id: string): boolean {
    const i = this.#faults.findIndex((f) => f.id === id);
    if (i < 0) return false;
    this.#faults.splice(i, 1);
    this.#onChange();
    return true;
  }

  /** Removes every fault (scenario faults included). */
  clear(): void {
    this.#faults.length = 0;
    this.#onChange();
  }

  /** A copy of the registered faults with their fire counts, in registration order. */
  list(): FaultEntry[] {
    return this.#faults.map((f) => ({ id: f.id, spec: structuredClone(f.spec), fired: f.fired }));
  }

  /** @internal Decides the faults of one request arriving `elapsed` ms after start. */
  decide(method: string, route: string, elapsed: number, path = ''): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, latencyIds: [] };
    for (const f of this.#faults) {
      const s = f.spec;
      if (s.kind === 'outage') continue;
      if (!this.#matches(s, method, route, elapsed, path)) continue;
      const isAfter = s.kind === 'reset' && s.phase === 'after';
      if (s.kind !== 'latency' && (isAfter ? decision.after : decision.before)) continue;
      if (s.probability !== undefined && s.probability < 1 && this.#prng.next() >= s.probability) continue;
      f.fired++;
      if (s.kind === 'latency') {
        const ms = typeof s.ms === 'number' ? s.ms : s.ms[0] + this.#prng.next() * (s.ms[1] - s.ms[0]);
        decision.latencyMs += ms;
        decision.latencyIds.push(f.id);
      } else if (isAfter) {
        decision.after = { id: f.id, spec: s };
      } else {
        decision.before = { id: f.id, spec: s };
      }
    }
    if (decision.before && decision.after) {
      // The request never reaches its side effect, so the reset-after does not fire (nor count).
      const after = this.#faults.find((x) => x.id === decision.after?.id);
      if (after) after.fired--;
      delete decision.after;
    }
    return decision;
  }

  /** @internal The outage fault active at `elapsed`, if any. */
  activeOutage(elapsed: number): { id: string; spec: OutageFault } | undefined {
    for (const f of this.#faults) {
      if (f.spec.kind === 'outage' && elapsed >= f.spec.from && elapsed < f.spec.until) {
        return { id: f.id, spec: f.spec };
      }
    }
    return undefined;
  }

  /** @internal Marks an outage as having started (for `list()`). */
  markFired(id: string): void {
    const f = this.#faults.find((x) => x.id === id);
    if (f) f.fired++;
  }

  /** @internal The next outage start or end strictly after `elapsed`, or undefined. */
  nextOutageEdge(elapsed: number): number | undefined {
    let next: number | undefined;
    for (const f of this.#faults) {
      if (f.spec.kind !== 'outage') continue;
      for (const edge of [f.spec.from, f.spec.until]) {
        if (edge > elapsed && (next === undefined || edge < next)) next = edge;
      }
    }
    return next;
  }

  #matches(s: FaultSpec, method: string, route: string, elapsed: number, path: string): boolean {
    const r = s.route ?? '*';
    if (r !== '*' && r !== `${method} *` && r !== route) return false;
    if (s.path !== undefined && path !== s.path && !path.startsWith(`${s.path}/`)) return false;
    if (s.from !== undefined && elapsed < s.from) return false;
    if (s.until !== undefined && elapsed >= s.until) return false;
    if (s.count !== undefined) {
      const f = this.#faults.find((x) => x.spec === s);
      if (f && f.fired >= s.count) return false;
    }
    return true;
  }
}

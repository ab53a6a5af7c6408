import { ROUTE_TEMPLATES } from '../router/routeTemplates.js';
import { FAULT_KINDS, type FaultSpec } from './FaultSpec.js';

const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);
const TEMPLATES = new Set<string>(ROUTE_TEMPLATES);

const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  try {
    return JSON.stringify(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
};

function nonNegative(where: string, name: string, v: unknown): void {
  if (typeof v !== 'number' || Number.isNaN(v))
    throw new TypeError(`${where}.${name} must be a number, got ${show(v)}`);
  if (v < 0 || !Number.isFinite(v)) {
    throw new RangeError(`${where}.${name} must be a finite number ≥ 0, got ${show(v)}`);
  }
}

function optionalStatus(where: string, v: unknown, min: number): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new TypeError(`${where}.status must be an integer, got ${show(v)}`);
  }
  if (v < min || v > 599) throw new RangeError(`${where}.status must be in ${min}..599, got ${show(v)}`);
}

/** Checks a fault spec and returns a deep copy; `where` names it in messages (e.g. `faults.add(spec)`). */
export function validateFaultSpec(input: unknown, where: string): FaultSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError(`${where} must be a fault spec object, got ${show(input)}`);
  }
  const spec = structuredClone(input) as FaultSpec & Record<string, unknown>;
  if (!FAULT_KINDS.includes(spec.kind)) {
    throw new RangeError(`${where}.kind must be one of ${FAULT_KINDS.join(', ')}, got ${show(spec.kind)}`);
  }
  if (spec.route !== undefined) {
    if (typeof spec.route !== 'string')
      throw new TypeError(`${where}.route must be a string, got ${show(spec.route)}`);
    const space = spec.route.indexOf(' ');
    const method = spec.route.slice(0, space);
    const template = spec.route.slice(space + 1);
    const ok = spec.route === '*' || (METHODS.has(method) && (template === '*' || TEMPLATES.has(spec.route)));
    if (!ok) {
      throw new RangeError(
        `${where}.route must be '*', 'GET *', 'POST *', 'PATCH *', 'PUT *', 'DELETE *' or one of ${ROUTE_TEMPLATES.map((r) => `'${r}'`).join(', ')}, got ${show(spec.route)}`,
      );
    }
  }
  if (spec.path !== undefined) {
    if (
      typeof spec.path !== 'string' ||
      !/^\/[A-Za-z0-9._~:@!$&'()*+,;=/-]*$/.test(spec.path) ||
      spec.path.length > 512
    ) {
      throw new TypeError(
        `${where}.path must be an API path starting with '/', e.g. '/techniques/upscale-4k', got ${show(spec.path)}`,
      );
    }
    if (spec.kind === 'outage')
      throw new RangeError(`${where}: an outage refuses every connection; it takes no path`);
  }
  if (spec.from !== undefined) nonNegative(where, 'from', spec.from);
  if (spec.until !== undefined) nonNegative(where, 'until', spec.until);
  if (spec.from !== undefined && spec.until !== undefined && spec.until <= spec.from) {
    throw new RangeError(`${where}.until must be greater than from (${spec.from}), got ${show(spec.until)}`);
  }
  if (spec.probability !== undefined) {
    if (typeof spec.probability !== 'number' || Number.isNaN(spec.probability)) {
      throw new TypeError(`${where}.probability must be a number, got ${show(spec.probability)}`);
    }
    if (spec.probability < 0 || spec.probability > 1) {
      throw new RangeError(`${where}.probability must be in 0..1, got ${show(spec.probability)}`);
    }
  }
  if (spec.count !== undefined) {
    if (typeof spec.count !== 'number' || !Number.isInteger(spec.count)) {
      throw new TypeError(`${where}.count must be an integer, got ${show(spec.count)}`);
    }
    if (spec.count < 1) throw new RangeError(`${where}.count must be ≥ 1, got ${show(spec.count)}`);
  }
  switch (spec.kind) {
    case 'status':
      if (spec.status === undefined) throw new TypeError(`${where}.status is required for kind 'status'`);
      optionalStatus(where, spec.status, 400);
      if (typeof spec.code !== 'string' || spec.code === '') {
        throw new TypeError(`${where}.code must be a non-empty string, got ${show(spec.code)}`);
      }
      if (spec.message !== undefined && typeof spec.message !== 'string') {
        throw new TypeError(`${where}.message must be a string, got ${show(spec.message)}`);
      }
      if (spec.headers !== undefined) {
        if (typeof spec.headers !== 'object' || spec.headers === null) {
          throw new TypeError(`${where}.headers must be an object of strings, got ${show(spec.headers)}`);
        }
        for (const [k, v] of Object.entries(spec.headers)) {
          if (typeof v !== 'string')
            throw new TypeError(`${where}.headers[${show(k)}] must be a string, got ${show(v)}`);
        }
      }
      break;
    case 'html':
    case 'empty':
      optionalStatus(where, spec.status, 400);
      break;
    case 'truncated':
      optionalStatus(where, spec.status, 200);
      break;
    case 'huge':
      optionalStatus(where, spec.status, 200);
      if (spec.bytes !== undefined) {
        if (typeof spec.bytes !== 'number' || !Number.isInteger(spec.bytes)) {
          throw new TypeError(`${where}.bytes must be an integer, got ${show(spec.bytes)}`);
        }
        if (spec.bytes < 64 || spec.bytes > 2 ** 31) {
          throw new RangeError(`${where}.bytes must be in 64..2147483648, got ${show(spec.bytes)}`);
        }
      }
      break;
    case 'latency': {
      const ms = spec.ms;
      if (Array.isArray(ms)) {
        if (ms.length !== 2)
          throw new TypeError(`${where}.ms must be a number or [min, max], got ${show(ms)}`);
        nonNegative(where, 'ms[0]', ms[0]);
        nonNegative(where, 'ms[1]', ms[1]);
        if ((ms[1] as number) < (ms[0] as number)) {
          throw new RangeError(`${where}.ms must be [min, max] with min ≤ max, got ${show(ms)}`);
        }
      } else {
        nonNegative(where, 'ms', ms);
      }
      break;
    }
    case 'reset':
      if (spec.phase !== undefined && spec.phase !== 'before' && spec.phase !== 'after') {
        throw new RangeError(`${where}.phase must be 'before' or 'after', got ${show(spec.phase)}`);
      }
      break;
    case 'outage':
      if (spec.from === undefined || spec.until === undefined) {
        throw new TypeError(`${where} of kind 'outage' needs both from and until (ms after start)`);
      }
      if (spec.route !== undefined && spec.route !== '*') {
        throw new RangeError(
          `${where}.route must be '*' for kind 'outage' (an outage takes the whole port down), got ${show(spec.route)}`,
        );
      }
      if (spec.probability !== undefined || spec.count !== undefined) {
        throw new TypeError(`${where} of kind 'outage' takes no probability or count (it is a time window)`);
      }
      break;
  }
  return spec;
}

import type { ExtendOptions, HandlerFunction } from 'got';

type Hook = (...args: never[]) => unknown;
/** got passes every hook at most two arguments; fixed arity spares a rest array per hook per call. */
type AnyHook = (a?: unknown, b?: unknown) => unknown;
type Next = Parameters<HandlerFunction>[1];
type HandlerOptions = Parameters<HandlerFunction>[0];

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null &&
  (typeof value === 'object' || typeof value === 'function') &&
  typeof (value as { then?: unknown }).then === 'function';

/**
 * `beforeRequest` and `beforeRetry` hooks run in order; a `beforeRequest` hook that returns something (a
 * response) ends the chain, as in got. Synchronous until a hook returns a promise, so a chain of
 * synchronous hooks costs got one `await` instead of one per hook.
 */
function sequence(hooks: readonly AnyHook[], stopOnResult: boolean): AnyHook {
  return (a?: unknown, b?: unknown) => {
    for (let i = 0; i < hooks.length; i++) {
      const result = hooks[i]!(a, b);
      if (isThenable(result)) return finishAsync(hooks, i + 1, a, b, result, stopOnResult);
      if (stopOnResult && result !== undefined) return result;
    }
    return undefined;
  };
}

async function finishAsync(
  hooks: readonly AnyHook[],
  from: number,
  a: unknown,
  b: unknown,
  pending: PromiseLike<unknown>,
  stopOnResult: boolean,
): Promise<unknown> {
  const first = await pending;
  if (stopOnResult && first !== undefined) return first;
  for (let i = from; i < hooks.length; i++) {
    const result = await hooks[i]!(a, b);
    if (stopOnResult && result !== undefined) return result;
  }
  return undefined;
}

/**
 * `afterResponse` and `beforeError` hooks pass a value along: each receives what the previous returned
 * (`afterResponse` also gets got's `retryWithMergedOptions`, passed through unchanged).
 */
function pipeline(hooks: readonly AnyHook[]): AnyHook {
  return (value?: unknown, b?: unknown) => {
    let current = value;
    for (let i = 0; i < hooks.length; i++) {
      const result = hooks[i]!(current, b);
      if (isThenable(result)) return pipeAsync(hooks, i + 1, b, result);
      current = result;
    }
    return current;
  };
}

async function pipeAsync(
  hooks: readonly AnyHook[],
  from: number,
  b: unknown,
  pending: PromiseLike<unknown>,
): Promise<unknown> {
  let current = await pending;
  for (let i = from; i < hooks.length; i++) current = await hooks[i]!(current, b);
  return current;
}

/** got's handler chain, run inside one handler: each handler's `next` calls the following one. */
function chain(handlers: readonly HandlerFunction[]): HandlerFunction {
  return (options, next) => {
    const step = (index: number, current: HandlerOptions): ReturnType<Next> => {
      const handler = handlers[index];
      return handler === undefined
        ? next(current)
        : (handler(current, (o) => step(index + 1, o) as never) as never);
    };
    return step(0, options) as never;
  };
}

const SEQUENCES = new Set(['init', 'beforeRequest', 'beforeRedirect', 'beforeRetry']);
const PIPELINES = new Set(['afterResponse', 'beforeError']);

/**
 * The same plugins as ONE got config: every handler in one handler and every hook kind in one hook, in
 * the plugins' order, with got's semantics (see {@link sequence}, {@link pipeline}). got pays a fixed
 * price per handler and per hook on every call (an `await`, a closure, a type check), so the preset
 * hands got one of each instead of five handlers and four `beforeRequest` hooks. Options other than
 * handlers and hooks (`retry`, `timeout`…) keep their own configs, in order, since got merges those once
 * at `extend` time. Hook kinds this does not know are left as they are.
 *
 * Internal to the preset, whose own plugins it fuses; it is not a general replacement for
 * `got.extend(...plugins)`. Where fused and unfused differ, none of the preset's plugins is concerned:
 * `retryWithMergedOptions` called from a fused `afterResponse` hook drops the whole fused hook on got 14
 * (got 14 keeps the hooks before the caller; got 16 drops all of them anyway); the handlers' inner `next()`
 * results are got's promises without got's extra methods; `init` hooks and `mutableDefaults` would move
 * after the other options (the preset has neither).
 */
export function fusePlugins(plugins: readonly ExtendOptions[]): ExtendOptions[] {
  const handlers: HandlerFunction[] = [];
  const hooks = new Map<string, Hook[]>();
  const rest: ExtendOptions[] = [];
  for (const plugin of plugins) {
    const { handlers: own, hooks: ownHooks, ...options } = plugin;
    if (own) handlers.push(...own);
    const unknownHooks: Record<string, unknown> = {};
    for (const [kind, list] of Object.entries(ownHooks ?? {})) {
      if (!Array.isArray(list) || list.length === 0) continue;
      if (SEQUENCES.has(kind) || PIPELINES.has(kind)) hooks.set(kind, [...(hooks.get(kind) ?? []), ...list]);
      else unknownHooks[kind] = list;
    }
    const kept = Object.keys(unknownHooks).length > 0 ? { ...options, hooks: unknownHooks } : options;
    if (Object.keys(kept).length > 0) rest.push(kept as ExtendOptions);
  }
  const fusedHooks: Record<string, AnyHook[]> = {};
  for (const [kind, list] of hooks) {
    const all = list as unknown as AnyHook[];
    if (all.length === 1) fusedHooks[kind] = all;
    else if (kind === 'init')
      fusedHooks[kind] = all; // init hooks run at extend time too: leave got in charge
    else fusedHooks[kind] = [PIPELINES.has(kind) ? pipeline(all) : sequence(all, kind === 'beforeRequest')];
  }
  const fused: ExtendOptions = {
    ...(handlers.length === 0 ? {} : { handlers: handlers.length === 1 ? handlers : [chain(handlers)] }),
    ...(hooks.size === 0 ? {} : { hooks: fusedHooks as ExtendOptions['hooks'] }),
  };
  return [...rest, fused];
}

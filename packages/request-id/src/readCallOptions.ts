import { REQUEST_ID_SINK_KEY, type RequestIdSink } from './RequestIdSink.js';

/** What this package reads from one call's got `context`. */
export interface RequestIdCallOptions {
  /** `context.flora.workspaceId` (the shared per-call convention). */
  readonly workspaceId: string | undefined;
  /** `context.requestIdSink`. */
  readonly sink: RequestIdSink | undefined;
}

const show = (value: unknown): string =>
  value === null ? 'null' : typeof value === 'string' ? JSON.stringify(value) : typeof value;

/**
 * Reads (never writes) the per-call settings this package understands from got's `options.context`.
 * Any field may be missing; a field of the wrong type is a `TypeError` naming it.
 */
export function readCallOptions(context: Readonly<Record<string, unknown>>): RequestIdCallOptions {
  const flora = context.flora;
  if (flora !== undefined && (typeof flora !== 'object' || flora === null || Array.isArray(flora))) {
    throw new TypeError(`floraRequestId: context.flora must be an object, got ${show(flora)}`);
  }
  const workspaceId = (flora as { readonly workspaceId?: unknown } | undefined)?.workspaceId;
  if (workspaceId !== undefined && (typeof workspaceId !== 'string' || workspaceId.trim() === '')) {
    throw new TypeError(
      `floraRequestId: context.flora.workspaceId must be a non-empty string, got ${show(workspaceId)}`,
    );
  }
  const sink = context[REQUEST_ID_SINK_KEY];
  if (sink !== undefined && (typeof sink !== 'object' || sink === null || Object.isFrozen(sink))) {
    throw new TypeError(
      `floraRequestId: context.${REQUEST_ID_SINK_KEY} must be a writable object (e.g. {}), got ${
        sink !== null && typeof sink === 'object' ? 'a frozen object' : show(sink)
      }`,
    );
  }
  return { workspaceId, sink: sink as RequestIdSink | undefined };
}

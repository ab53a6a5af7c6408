import type {
  AfterResponseHook,
  BeforeErrorHook,
  BeforeRequestHook,
  ExtendOptions,
  HandlerFunction,
} from 'got';
import { getCallRecord, recordAttempt, recordResponse, resetCallRecord } from './callRecord.js';
import { fromGotError } from './fromGotError.js';

export interface FloraErrorsOptions {
  /** Stamped on every error (and so on support tickets) when the error does not carry one. */
  readonly workspaceId?: string;
}

type Context = Record<string, unknown>;

/**
 * The per-call `context.flora.workspaceId` (the shared per-call convention), validated: absent → undefined,
 * present but not a non-empty string → TypeError naming the option and the value.
 */
function perCallWorkspaceId(context: Context | undefined): string | undefined {
  const flora = context?.flora;
  if (flora === undefined || flora === null) return undefined;
  if (typeof flora !== 'object') {
    throw new TypeError(`floraErrors: context.flora must be an object, got ${typeof flora}`);
  }
  const value = (flora as Record<string, unknown>).workspaceId;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(
      `floraErrors: context.flora.workspaceId must be a non-empty string, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
    );
  }
  return value;
}

/**
 * got adapter: every failure of a call (HTTP error, network error, timeout, abort) reaches the caller as
 * the matching `FloraError`, with got's error as `cause`, the `request-id` of every attempt, and the
 * attempt count. Add it to any instance: `got.extend(floraErrors())`.
 */
export function floraErrors(options: FloraErrorsOptions = {}): ExtendOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `floraErrors: options must be an object, got ${options === null ? 'null' : typeof options}`,
    );
  }
  const { workspaceId } = options;
  if (workspaceId !== undefined && (typeof workspaceId !== 'string' || workspaceId.trim() === '')) {
    throw new TypeError(
      `floraErrors: options.workspaceId must be a non-empty string, got ${JSON.stringify(workspaceId)}`,
    );
  }

  const handler: HandlerFunction = (callOptions, next) => {
    const context = callOptions.context as Context;
    const record = resetCallRecord(context);
    record.workspaceId = perCallWorkspaceId(context) ?? workspaceId;
    return next(callOptions);
  };
  const beforeRequest: BeforeRequestHook = (requestOptions, state?: { retryCount?: number }) => {
    const context = requestOptions.context as Context;
    recordAttempt(
      context,
      state?.retryCount ??
        (context['@flora-resilience/call']
          ? (context['@flora-resilience/call'] as { attempts: number }).attempts
          : 0),
    );
  };
  const afterResponse: AfterResponseHook = (response) => {
    recordResponse(response.request.options.context as Context, response.headers);
    return response;
  };
  const beforeError: BeforeErrorHook = (error) => {
    const floraError = fromGotError(error);
    const context = (error as { options?: { context?: unknown } }).options?.context;
    const recorded =
      typeof context === 'object' && context !== null
        ? getCallRecord(context as Context).workspaceId
        : undefined;
    floraError.workspaceId ??= recorded ?? workspaceId;
    return floraError;
  };
  return {
    handlers: [handler],
    hooks: { beforeRequest: [beforeRequest], afterResponse: [afterResponse], beforeError: [beforeError] },
  };
}

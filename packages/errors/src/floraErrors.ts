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
    resetCallRecord(callOptions.context as Context);
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
    if (workspaceId !== undefined) floraError.workspaceId ??= workspaceId;
    return floraError;
  };
  return {
    handlers: [handler],
    hooks: { beforeRequest: [beforeRequest], afterResponse: [afterResponse], beforeError: [beforeError] },
  };
}

import { ApiError } from '../http/ApiError.js';

/** 403 `forbidden` when a well-formed `ws_` id is not the API key's workspace (keys are workspace-scoped). */
export function assertOwnWorkspace(requested: string, keyWorkspace: string): void {
  if (requested !== keyWorkspace) {
    throw new ApiError(
      403,
      'forbidden',
      `Forbidden: the API key is not authorized for workspace ${requested}.`,
    );
  }
}

/** Path ids of a workspace-scoped route: each must carry its prefix, else one 400 listing them all. */
export function checkPathIds(
  params: Record<string, string>,
  prefixes: Record<string, [string, string]>,
): void {
  const errors = Object.entries(prefixes)
    .filter(([param, [, prefix]]) => !new RegExp(`^${prefix}_\\S+$`).test(params[param] ?? ''))
    .map(([, [field, prefix]]) => ({ field, message: `Invalid id: expected a '${prefix}_' prefixed id.` }));
  if (errors.length > 0) throw ApiError.validation(errors);
}

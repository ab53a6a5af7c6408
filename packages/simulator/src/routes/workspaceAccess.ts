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

/** The API key the simulator accepts when `apiKeys` is not given. */
export const SIMULATOR_API_KEY = 'sk_test_flora_simulator';

/** The workspace that {@link SIMULATOR_API_KEY} is scoped to. */
export const SIMULATOR_WORKSPACE_ID = 'ws_simulator';

/** The path prefix of every API route (FLORA's base URL is `https://app.flora.ai/api/v1`). */
export const API_PREFIX = '/api/v1';

/** Window of the `Idempotency-Key` header variant (spec / SDK docstrings): 2 h. */
export const HEADER_IDEMPOTENCY_WINDOW_MS = 2 * 60 * 60 * 1000;

/** Window of the body `idempotency_key` variant (developer docs): 24 h. */
export const BODY_IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

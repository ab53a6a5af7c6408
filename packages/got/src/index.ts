export { createFloraClient, type FloraClient } from './createFloraClient.js';
export { DEFAULT_BASE_URL, type FloraClientOptions } from './FloraClientOptions.js';
export { type FloraPluginList, floraPlugins } from './floraPlugins.js';
export { DEFAULT_DEADLINE_MS, DEFAULT_TIMEOUT_MS } from './resolveClientOptions.js';
export type { FloraParts } from './stackingGuard.js';
export { type RerunOptions, type WaitForRunOptions, waitForRun } from './waitForRun.js';

import got, { type Got } from 'got';
import type { FloraClientOptions } from './FloraClientOptions.js';
import { buildPlugins } from './floraPlugins.js';
import type { FloraParts } from './stackingGuard.js';

/** A got instance with FLORA's resilience built in, plus its live parts. */
export type FloraClient = Got & {
  /** The retry policy, breaker registry and metrics in use, and `dispose()` (timers, listeners). */
  readonly flora: FloraParts;
};

/**
 * A got instance for the FLORA API, composed in design.md's order: deadline, idempotency key, retry,
 * circuit breaker, attempt timeout, observation. With no API key (option or `FLORA_API_KEY`) it throws
 * at once, before any request. Pass `got` to extend an instance you already have; if that instance
 * already retries, the preset's policy replaces got's (and says so through the logger).
 */
export function createFloraClient(options: FloraClientOptions = {}): FloraClient {
  const base = options.got ?? got;
  if (typeof base !== 'function' || typeof (base as Got).extend !== 'function') {
    throw new TypeError('createFloraClient: options.got must be a got instance');
  }
  const { got: _ignored, ...rest } = options;
  const plugins = buildPlugins(rest, 'createFloraClient');
  const existingLimit = (base.defaults.options.retry as { limit?: number }).limit ?? 0;
  if (options.got !== undefined && existingLimit > 0 && options.logger) {
    try {
      options.logger.warn?.(
        { kind: 'instance_retries', limit: existingLimit },
        plugins.flora.retry
          ? 'the got instance already retries: the FLORA retry policy replaces its retry settings for FLORA calls'
          : 'the got instance already retries and the FLORA preset’s retry is off: got’s retry is switched off for FLORA calls so that an outer loop cannot multiply it',
      );
    } catch {
      // never let a logger break construction
    }
  }
  const client = base.extend(...plugins);
  Object.defineProperty(client, 'flora', { value: plugins.flora, enumerable: false });
  return client as FloraClient;
}

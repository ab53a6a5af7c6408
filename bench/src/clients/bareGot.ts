import type { Agent } from 'node:http';
import got from 'got';
import type { BenchClient } from '../BenchClient.js';
import { gotBaseOptions, gotCallOptions } from './gotOptions.js';

/** got with retries off: the floor every overhead figure is compared to, and the "no retry" reference row. */
export function bareGot(url: string, agent?: Agent): BenchClient {
  const client = got.extend(gotBaseOptions(url, agent), { retry: { limit: 0 } });
  return {
    name: 'bare got (no retry)',
    call: (op, signal) => client(op.path, gotCallOptions(op, signal)).json(),
    dispose: () => {},
  };
}

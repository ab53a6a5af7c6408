import type { Agent } from 'node:http';
import got from 'got';
import type { BenchClient } from '../BenchClient.js';
import { gotBaseOptions, gotCallOptions } from './gotOptions.js';

/**
 * got as most services run it: its built-in retry untouched (limit 2 = 3 attempts, GET/PUT/HEAD/DELETE/
 * OPTIONS/TRACE only, 408/413/429/500/502/503/504/521/522/524 and network codes, backoff 1 s, 2 s + up to
 * 100 ms noise, `retry-after` honoured with no cap because there is no request timeout).
 */
export function gotDefaultRetry(url: string, agent?: Agent): BenchClient {
  const client = got.extend(gotBaseOptions(url, agent));
  return {
    name: 'got default retry',
    call: (op, signal) => client(op.path, gotCallOptions(op, signal)).json(),
    dispose: () => {},
  };
}

import type { Agent } from 'node:http';
import { createFloraClient, type FloraClientOptions } from '@flora-resilience/got';
import { SIMULATOR_API_KEY } from '@flora-resilience/simulator';
import got from 'got';
import type { BenchClient, ClientFactory } from '../BenchClient.js';
import { gotCallOptions } from './gotOptions.js';

/** A variant of the preset: a row name and the options that differ from the defaults. */
export interface PresetVariant {
  readonly name: string;
  /** Options passed to `createFloraClient` besides `apiKey`, `baseUrl`, `env` and `got`. Fresh per client. */
  readonly options?: () => Omit<FloraClientOptions, 'apiKey' | 'baseUrl' | 'env' | 'got'>;
}

/** The flora-resilience preset with its defaults, unless the variant says otherwise. */
export function preset(variant: PresetVariant = { name: 'flora-resilience preset' }): ClientFactory {
  return (url: string, agent?: Agent): BenchClient => {
    const client = createFloraClient({
      apiKey: SIMULATOR_API_KEY,
      baseUrl: url,
      env: {},
      ...(agent ? { got: got.extend({ agent: { http: agent }, retry: { limit: 0 } }) } : {}),
      ...(variant.options?.() ?? {}),
    });
    return {
      name: variant.name,
      call: (op, signal) => client(op.path, gotCallOptions(op, signal)).json(),
      dispose: () => client.flora.dispose(),
    };
  };
}

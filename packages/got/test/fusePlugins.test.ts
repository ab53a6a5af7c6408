import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  SIMULATOR_API_KEY,
  type Simulator,
  type SimulatorOptions,
  type StatusFault,
  startSimulator,
} from '@flora-resilience/simulator';
import { afterEach, describe, expect, it } from '@jest/globals';
import got, {
  type ExtendOptions,
  type Got,
  type HandlerFunction,
  Options,
  type RequestError,
  type Response,
} from 'got';
import { fusePlugins } from '../src/fusePlugins.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(options: SimulatorOptions = {}): Promise<Simulator> {
  sim = await startSimulator(options);
  return sim;
}

const AUTH = `Bearer ${SIMULATOR_API_KEY}`;
const PATH = 'techniques/thumbnail-v3';
const fastRetry = (limit: number) => ({
  limit,
  calculateDelay: ({ computedValue }: { computedValue: number }) => (computedValue ? 1 : 0),
});
const unavailable = (count: number): StatusFault => ({
  kind: 'status',
  status: 503,
  code: 'service_unavailable',
  route: 'GET /techniques/:idOrSlug',
  count,
});

/** A got instance over the fused plugins, pointed at the simulator and authenticated unless told not to. */
function client(s: Simulator, plugins: ExtendOptions[], { auth = true, retry = 0 } = {}): Got {
  const base: ExtendOptions = { prefixUrl: s.url, retry: fastRetry(retry) };
  if (auth) base.headers = { authorization: AUTH };
  return got.extend(...fusePlugins([base, ...plugins]));
}

/** A response got accepts from a `beforeRequest` hook instead of sending the request. */
function cannedResponse(json: unknown) {
  const body = Buffer.from(JSON.stringify(json));
  const stream = new Readable({
    read() {
      this.push(body);
      this.push(null);
    },
  });
  const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
  return Object.assign(stream, { statusCode: 200, statusMessage: 'OK', headers, url: '' });
}

describe('fusePlugins', () => {
  it('runs handlers in list order around the request, each seeing the previous one’s option changes', async () => {
    const s = await start();
    const log: string[] = [];
    const outer: HandlerFunction = async (options, next) => {
      log.push('A before');
      const changed = new Options(undefined, { headers: { 'idempotency-key': 'set-by-A' } }, options);
      const inner = await next(changed);
      log.push('A after');
      return { by: 'A', inner } as never;
    };
    const inner: HandlerFunction = async (options, next) => {
      log.push(`B before, sees ${options.headers['idempotency-key']}`);
      options.headers.authorization = AUTH;
      const response = (await next(options)) as Response;
      log.push('B after');
      return { by: 'B', statusCode: response.statusCode } as never;
    };
    const instance = client(s, [{ handlers: [outer] }, { handlers: [inner] }], { auth: false });

    const result: unknown = await instance.get(PATH);

    expect(result).toEqual({ by: 'A', inner: { by: 'B', statusCode: 200 } });
    expect(log).toEqual(['A before', 'B before, sees set-by-A', 'B after', 'A after']);
    const [attempt] = s.stats().attempts;
    expect(attempt?.idempotencyKey).toBe('set-by-A');
    expect(attempt?.workspaceId).not.toBeNull();
  });

  it('runs every plugin’s beforeRequest hook in order on each attempt, waiting for an async one', async () => {
    const s = await start({ faults: [unavailable(2)] });
    const log: string[] = [];
    const instance = client(
      s,
      [
        { hooks: { beforeRequest: [(_o, { retryCount }) => void log.push(`1:${retryCount}`)] } },
        {
          hooks: {
            beforeRequest: [
              async (options, { retryCount }) => {
                await sleep(20);
                options.headers['idempotency-key'] = `key-${retryCount}`;
                log.push(`2:${retryCount}`);
              },
            ],
          },
        },
        {
          hooks: {
            beforeRequest: [
              (o, { retryCount }) => void log.push(`3:${retryCount}:${o.headers['idempotency-key']}`),
            ],
          },
        },
      ],
      { retry: 2 },
    );

    const response = await instance.get(PATH);

    expect(response.statusCode).toBe(200);
    expect(log).toEqual(['1:0', '2:0', '3:0:key-0', '1:1', '2:1', '3:1:key-1', '1:2', '2:2', '3:2:key-2']);
    const attempts = s.stats().attempts;
    expect(attempts.map((a) => [a.status, a.idempotencyKey])).toEqual([
      [503, 'key-0'],
      [503, 'key-1'],
      [200, 'key-2'],
    ]);
  });

  it.each([
    ['a synchronous', () => cannedResponse({ cached: true })],
    [
      'an asynchronous',
      async () => {
        await sleep(5);
        return cannedResponse({ cached: true });
      },
    ],
  ])(
    'lets %s beforeRequest hook answer instead of the server, skipping the later hooks',
    async (_, answer) => {
      const s = await start();
      const log: string[] = [];
      const instance = client(s, [
        { hooks: { beforeRequest: [() => void log.push('first')] } },
        { hooks: { beforeRequest: [answer as never] } },
        { hooks: { beforeRequest: [() => void log.push('after the answer')] } },
      ]);

      const body = await instance.get(PATH).json();

      expect(body).toEqual({ cached: true });
      expect(log).toEqual(['first']);
      expect(s.stats().requests).toBe(0);
    },
  );

  it('passes each afterResponse hook what the previous one returned', async () => {
    const s = await start();
    const received: unknown[] = [];
    const tag = (name: string) => (response: Response) => {
      received.push(response);
      const steps = (response as Response & { steps?: string[] }).steps ?? [];
      return Object.assign(Object.create(response) as Response, { steps: [...steps, name] });
    };
    const instance = client(s, [
      { hooks: { afterResponse: [tag('1')] } },
      { hooks: { afterResponse: [tag('2')] } },
    ]);

    const response = (await instance.get(PATH)) as Response & { steps: string[] };

    expect(response.steps).toEqual(['1', '2']);
    expect(response.statusCode).toBe(200);
    expect((received[1] as { steps: string[] }).steps).toEqual(['1']);
  });

  it('passes got’s retryWithMergedOptions through to afterResponse hooks', async () => {
    const s = await start();
    const seen: number[] = [];
    const instance = client(
      s,
      [
        {
          hooks: {
            afterResponse: [
              (response) => {
                seen.push(response.statusCode);
                return response;
              },
            ],
          },
        },
        {
          hooks: {
            afterResponse: [
              (response, retryWithMergedOptions) =>
                response.statusCode === 401
                  ? retryWithMergedOptions({ headers: { authorization: AUTH } })
                  : response,
            ],
          },
        },
      ],
      { auth: false },
    );

    const response = await instance.get(PATH);

    expect(response.statusCode).toBe(200);
    expect(seen[0]).toBe(401);
    expect(s.stats().attempts.map((a) => [a.status, a.workspaceId !== null])).toEqual([
      [401, false],
      [200, true],
    ]);
  });

  it('passes each beforeError hook the error the previous one returned; the caller gets the last', async () => {
    const s = await start();
    const wrap = (name: string) => (error: Error) => new Error(`${name}(${error.message})`, { cause: error });
    const instance = client(s, [
      { hooks: { beforeError: [wrap('first')] } },
      {
        hooks: {
          beforeError: [
            async (error) => {
              await sleep(5);
              return wrap('second')(error);
            },
          ],
        },
      },
      { hooks: { beforeError: [wrap('third')] } },
    ]);

    const error = await instance.get('techniques/no-such-technique').then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    expect(error?.message).toMatch(/^third\(second\(first\(.*404.*\)\)\)$/);
    const original = ((error!.cause as Error).cause as Error).cause as RequestError;
    expect(original.response?.statusCode).toBe(404);
  });

  it('runs beforeRetry hooks in order with the error and the retry count', async () => {
    const s = await start({ faults: [unavailable(2)] });
    const log: string[] = [];
    const record = (name: string) => (error: RequestError, retryCount: number) =>
      void log.push(`${name}:${retryCount}:${error.response?.statusCode}`);
    const instance = client(
      s,
      [
        { hooks: { beforeRetry: [record('1')] } },
        {
          hooks: {
            beforeRetry: [
              async (error, retryCount) => {
                await sleep(10);
                record('2')(error, retryCount);
              },
            ],
          },
        },
        { hooks: { beforeRetry: [record('3')] } },
      ],
      { retry: 2 },
    );

    expect((await instance.get(PATH)).statusCode).toBe(200);
    expect(log).toEqual(['1:1:503', '2:1:503', '3:1:503', '1:2:503', '2:2:503', '3:2:503']);
  });

  it('keeps options from every plugin and hands got one handler and one hook per kind', async () => {
    const s = await start();
    const noop: HandlerFunction = (options, next) => next(options);
    const plugins: ExtendOptions[] = [
      { retry: { limit: 4 }, handlers: [noop], hooks: { beforeRequest: [() => undefined] } },
      { timeout: { request: 1234 }, hooks: { beforeRequest: [() => undefined], afterResponse: [(r) => r] } },
      { prefixUrl: s.url, handlers: [noop], hooks: { afterResponse: [(r) => r], beforeError: [(e) => e] } },
      { headers: { authorization: AUTH }, handlers: [noop], hooks: { beforeRetry: [() => undefined] } },
    ];

    const configs = fusePlugins(plugins);
    const fused = configs.at(-1)!;
    expect(configs.slice(0, -1).every((c) => c.handlers === undefined && c.hooks === undefined)).toBe(true);
    expect(Object.keys(fused).sort()).toEqual(['handlers', 'hooks']);
    expect(fused.handlers).toHaveLength(1);
    expect(Object.keys(fused.hooks!).sort()).toEqual([
      'afterResponse',
      'beforeError',
      'beforeRequest',
      'beforeRetry',
    ]);
    for (const list of Object.values(fused.hooks!)) expect(list).toHaveLength(1);

    const instance: Got = got.extend(...configs);
    const { options } = instance.defaults;
    expect(options.retry.limit).toBe(4);
    expect(options.timeout.request).toBe(1234);
    expect(String(options.prefixUrl)).toBe(`${s.url}/`);
    expect(options.headers.authorization).toBe(AUTH);
    expect((await instance.get(PATH)).statusCode).toBe(200);
  });

  const fail = (): never => {
    throw new Error('hook failed');
  };
  it.each([
    ['beforeRequest', 0],
    ['afterResponse', 1],
  ] as const)(
    'rejects the call with the error one %s hook throws synchronously, skipping the later hooks',
    async (kind, sent) => {
      const s = await start();
      const log: string[] = [];
      // An afterResponse hook hands the response on; a beforeRequest hook returns nothing.
      const record = (name: string) => (value?: unknown) => {
        log.push(name);
        return kind === 'afterResponse' ? value : undefined;
      };
      const instance = client(s, [
        { hooks: { [kind]: [record('1')] } },
        { hooks: { [kind]: [fail] } },
        { hooks: { [kind]: [record('3')] } },
      ]);

      await expect(instance.get(PATH)).rejects.toThrow('hook failed');
      expect(log).toEqual(['1']);
      expect(s.stats().requests).toBe(sent);
    },
  );
});

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import {
  API_PREFIX,
  BODY_IDEMPOTENCY_WINDOW_MS,
  HEADER_IDEMPOTENCY_WINDOW_MS,
  SIMULATOR_WORKSPACE_ID,
} from '../constants.js';
import { FaultController, type FaultDecision } from '../faults/FaultController.js';
import { ApiError } from '../http/ApiError.js';
import { newId } from '../http/newId.js';
import { IdempotencyStore } from '../idempotency/IdempotencyStore.js';
import { stableStringify } from '../idempotency/stableStringify.js';
import { resolveOptions } from '../options/resolveOptions.js';
import type { SimulatorOptions } from '../options/SimulatorOptions.js';
import { createPrng } from '../prng/createPrng.js';
import { retryAfterHeaders } from '../rate-limit/retryAfterHeaders.js';
import { TokenBucket } from '../rate-limit/TokenBucket.js';
import { UNMATCHED_ROUTE } from '../router/routeTemplates.js';
import { createRouter } from '../routes/createRouter.js';
import { toCamelCase } from '../runs/toCamelCase.js';
import { SimulatorState } from '../state/SimulatorState.js';
import type { AttemptRecord } from '../stats/SimulatorStats.js';
import { StatsRecorder } from '../stats/StatsRecorder.js';
import { htmlErrorPage, truncatedJson } from './faultBodies.js';
import { readBody } from './readBody.js';
import type { Simulator } from './Simulator.js';

const TECHNIQUE_RUNS_ROUTE = 'POST /techniques/:slug/runs';
const HUGE_DEFAULT_BYTES = 20 * 1024 * 1024;
const FILLER = Buffer.alloc(64 * 1024, 'x');

/**
 * Starts a FLORA API double on `node:http` and resolves once it listens.
 * Throws a TypeError/RangeError synchronously-in-the-promise for bad options.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const o = resolveOptions(options);
  const now = o.now;
  const startedAt = now();
  const elapsed = (): number => now() - startedAt;
  const stats = new StatsRecorder(o.statsLimit);
  const state = new SimulatorState(o, stats, createPrng(o.seed, 1));
  const router = createRouter(state);
  const headerKeys = new IdempotencyStore(HEADER_IDEMPOTENCY_WINDOW_MS);
  const bodyKeys = new IdempotencyStore(BODY_IDEMPOTENCY_WINDOW_MS);
  const buckets = new Map<string, TokenBucket>();
  const sockets = new Set<Socket>();
  const timers = new Set<{ timer: ReturnType<typeof setTimeout>; resolve: () => void }>();
  const useHeader = o.idempotency !== 'body';
  const useBody = o.idempotency !== 'header';

  let closed = false;
  let started = false;
  let down = false;
  let transition: Promise<void> = Promise.resolve();
  let outageTimer: ReturnType<typeof setTimeout> | undefined;
  let port = o.port;

  const server = createServer({ keepAliveTimeout: 5_000 });
  const faults = new FaultController(createPrng(o.seed, 0), () => {
    if (started) void sync();
  });

  // ---------- lifecycle: listen, outage windows, close ----------

  const listen = (p: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        server.off('listening', onListening);
        reject(err);
      };
      const onListening = (): void => {
        server.off('error', onError);
        resolve();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(p, o.host);
    });

  const destroyAll = (): void => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };

  const stopListening = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
      destroyAll();
    });

  const relisten = async (): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      if (closed) return;
      try {
        await listen(port);
        return;
      } catch (err) {
        // The port may be briefly taken (TIME_WAIT, another process); keep trying for ~5 s.
        if (attempt >= 100) throw err;
        await new Promise((r) => setTimeout(r, 50).unref());
      }
    }
  };

  function sync(): Promise<void> {
    if (closed || !started) return transition;
    const e = elapsed();
    const outage = faults.activeOutage(e);
    if (outage && !down) {
      down = true;
      stats.outageStarted();
      faults.markFired(outage.id);
      transition = transition.then(stopListening);
    } else if (!outage && down) {
      down = false;
      transition = transition.then(relisten);
    }
    if (outageTimer) clearTimeout(outageTimer);
    outageTimer = undefined;
    const edge = faults.nextOutageEdge(e);
    if (edge !== undefined) {
      outageTimer = setTimeout(() => void sync(), Math.max(1, edge - e));
      outageTimer.unref();
    }
    return transition;
  }

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          timers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      entry.timer.unref();
      timers.add(entry);
    });

  // ---------- responses ----------

  const baseHeaders = (requestId: string): Record<string, string> => ({ 'request-id': requestId });

  function sendJson(
    res: ServerResponse,
    status: number,
    body: unknown,
    requestId: string,
    extra: Record<string, string> = {},
  ): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      ...baseHeaders(requestId),
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      ...extra,
    });
    res.end(text);
  }

  async function sendHuge(
    res: ServerResponse,
    status: number,
    bytes: number,
    requestId: string,
  ): Promise<void> {
    const head = Buffer.from('{"data":"');
    const tail = Buffer.from('"}');
    let remaining = Math.max(0, bytes - head.length - tail.length);
    res.writeHead(status, {
      ...baseHeaders(requestId),
      'content-type': 'application/json',
      'content-length': String(head.length + remaining + tail.length),
    });
    res.write(head);
    while (remaining > 0 && !res.destroyed) {
      const chunk = remaining >= FILLER.length ? FILLER : FILLER.subarray(0, remaining);
      remaining -= chunk.length;
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
    }
    if (!res.destroyed) res.end(tail);
  }

  // ---------- the request pipeline ----------

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const time = now();
    const requestId = newId('req');
    const method = req.method ?? 'GET';
    const record: AttemptRecord = {
      time,
      method,
      route: `${method} ${UNMATCHED_ROUTE}`,
      path: '',
      status: null,
      code: null,
      requestId,
      idempotencyKey: null,
      workspaceId: null,
      fault: null,
    };
    let recorded = false;
    const finish = (status: number | null, code: string | null): void => {
      if (recorded) return;
      recorded = true;
      record.status = status;
      record.code = code;
      stats.record(record);
    };
    const fail = (err: ApiError): void => {
      finish(err.status, err.code);
      sendJson(res, err.status, err.toBody(), requestId, err.headers);
    };
    const destroy = (code: string): void => {
      finish(null, code);
      req.socket.destroy();
    };

    if (closed) {
      req.socket.destroy();
      return;
    }
    if (faults.activeOutage(time - startedAt)) {
      stats.droppedByOutage();
      destroy('outage');
      void sync();
      return;
    }

    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://simulator.invalid');
    } catch {
      url = new URL('http://simulator.invalid/');
    }
    const inApi = url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`);
    const path = inApi ? url.pathname.slice(API_PREFIX.length) || '/' : url.pathname;
    record.path = path;
    const match = inApi ? router.match(method, path) : undefined;
    if (match) record.route = match.route;

    const auth = req.headers.authorization;
    const bearer = typeof auth === 'string' ? /^Bearer (\S+)$/.exec(auth.trim()) : null;
    const workspaceId = bearer ? (o.apiKeys[bearer[1]!] ?? null) : null;
    record.workspaceId = workspaceId;
    const rawHeaderKey = req.headers['idempotency-key'];
    const headerKey = typeof rawHeaderKey === 'string' && rawHeaderKey !== '' ? rawHeaderKey : null;
    record.idempotencyKey = headerKey;

    const read = await readBody(req, o.maxBodyBytes);
    if (closed) return;
    if (!read.ok) {
      if (read.reason === 'aborted') {
        finish(null, 'client_aborted');
        return;
      }
      fail(
        new ApiError(413, 'payload_too_large', `Request body exceeds ${o.maxBodyBytes} bytes.`, undefined, {
          connection: 'close',
        }),
      );
      res.on('finish', () => req.socket.destroy());
      return;
    }
    let parsed: unknown;
    let jsonError = false;
    if (read.body.length > 0) {
      try {
        parsed = JSON.parse(read.body.toString('utf8'));
      } catch {
        jsonError = true;
      }
    }
    const bodyKey =
      typeof parsed === 'object' &&
      parsed !== null &&
      typeof (parsed as Record<string, unknown>).idempotency_key === 'string'
        ? ((parsed as Record<string, unknown>).idempotency_key as string)
        : null;
    record.idempotencyKey = headerKey ?? bodyKey;

    // Faults (they stand in front of the application: before auth and rate limits).
    const decision: FaultDecision = faults.decide(method, record.route, time - startedAt, record.path);
    if (decision.latencyIds.length > 0) record.fault = decision.latencyIds[0]!;
    if (decision.latencyMs > 0) {
      await delay(decision.latencyMs);
      if (closed || down) {
        destroy(down ? 'outage' : 'closed');
        return;
      }
    }
    if (decision.before) {
      record.fault = decision.before.id;
      const s = decision.before.spec;
      switch (s.kind) {
        case 'status': {
          const err = new ApiError(
            s.status,
            s.code,
            s.message ?? `Simulated ${s.status} fault.`,
            undefined,
            s.headers ?? {},
          );
          fail(err);
          return;
        }
        case 'html': {
          const status = s.status ?? 502;
          const html = htmlErrorPage(status);
          finish(status, null);
          res.writeHead(status, {
            ...baseHeaders(requestId),
            'content-type': 'text/html; charset=utf-8',
            'content-length': String(Buffer.byteLength(html)),
          });
          res.end(html);
          return;
        }
        case 'empty': {
          const status = s.status ?? 500;
          finish(status, null);
          res.writeHead(status, {
            ...baseHeaders(requestId),
            'content-type': 'application/json',
            'content-length': '0',
          });
          res.end();
          return;
        }
        case 'truncated': {
          const status = s.status ?? 500;
          const text = truncatedJson(status);
          finish(status, null);
          res.writeHead(status, {
            ...baseHeaders(requestId),
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(text)),
          });
          res.end(text);
          return;
        }
        case 'huge': {
          const status = s.status ?? 200;
          finish(status, null);
          await sendHuge(res, status, s.bytes ?? HUGE_DEFAULT_BYTES, requestId);
          return;
        }
        case 'reset':
          destroy('reset');
          return;
        default:
          break;
      }
    }

    try {
      if (!match) throw ApiError.notFound(`Route ${method} ${url.pathname}`);
      if (auth === undefined) {
        throw new ApiError(
          401,
          'unauthorized',
          'Missing Authorization header. Send `Authorization: Bearer sk_live_…`.',
        );
      }
      if (workspaceId === null) throw new ApiError(401, 'invalid_api_key', 'Invalid API key.');
      if (o.rateLimit) {
        let bucket = buckets.get(workspaceId);
        if (!bucket) {
          bucket = new TokenBucket(o.rateLimit.requestsPerSecond, o.rateLimit.burst, time);
          buckets.set(workspaceId, bucket);
        }
        const waitMs = bucket.take(time);
        if (waitMs > 0) {
          throw new ApiError(
            429,
            'rate_limited',
            'Rate limit exceeded.',
            undefined,
            retryAfterHeaders(o.rateLimit.retryAfter, waitMs, time),
          );
        }
      }
      if (jsonError) throw new ApiError(400, 'invalid_json', 'The request body is not valid JSON.');

      // Idempotency: the header variant suppresses duplicates (409), the body variant replays (or 422).
      // In 'both' mode each route honours its own documented shape, as FLORA was measured to do
      // ("each ignores the other's shape"): technique runs the body key, every other POST the header.
      // The header is honoured on every mutation: POST, PATCH /projects/{id}/canvas,
      // PUT /workspaces/{ws}/projects/{prj}/canvas/definition and DELETE /workspaces/{ws}/library/folders/{id}.
      const isMutation = method === 'POST' || method === 'PATCH' || method === 'PUT' || method === 'DELETE';
      const bodyScope =
        useBody && match.route === TECHNIQUE_RUNS_ROUTE && bodyKey !== null
          ? `${workspaceId} ${path} ${bodyKey}`
          : null;
      const headerScope =
        useHeader && isMutation && headerKey !== null && !(o.idempotency === 'both' && bodyScope !== null)
          ? `${workspaceId} ${method} ${path} ${headerKey}`
          : null;
      if (headerScope && headerKeys.get(headerScope, time)) {
        throw new ApiError(409, 'idempotency_duplicate', 'Duplicate idempotency key.');
      }
      const fingerprint = bodyScope ? stableStringify(parsed) : '';
      if (bodyScope) {
        const prior = bodyKeys.get(bodyScope, time);
        if (prior) {
          if (prior.fingerprint !== fingerprint) {
            throw new ApiError(
              422,
              'idempotency_conflict',
              'This idempotency_key was already used with a different request body.',
            );
          }
          finish(prior.status, null);
          sendJson(res, prior.status, prior.body, requestId, { 'idempotent-replayed': 'true' });
          return;
        }
      }

      const result = match.handler({
        method,
        route: match.route,
        path,
        params: match.params,
        query: url.searchParams,
        body: parsed,
        workspaceId,
        now: time,
      });
      const body = result.runBody && o.casing === 'camel' ? toCamelCase(result.body) : result.body;
      if (result.status >= 200 && result.status < 300) {
        if (headerScope)
          headerKeys.set(headerScope, { at: time, fingerprint: '', status: result.status, body: null });
        if (bodyScope) bodyKeys.set(bodyScope, { at: time, fingerprint, status: result.status, body });
      }
      if (decision.after) {
        record.fault = decision.after.id;
        destroy('reset');
        return;
      }
      finish(result.status, null);
      sendJson(res, result.status, body, requestId);
    } catch (err) {
      if (err instanceof ApiError) {
        fail(err);
        return;
      }
      throw err;
    }
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => {
      // Never crash on hostile input: answer 500 if we still can, else drop the socket.
      if (!res.headersSent && !res.destroyed) {
        const text = JSON.stringify({
          error: { code: 'internal_error', message: 'Simulator internal error.' },
        });
        res.writeHead(500, {
          'request-id': newId('req'),
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(text)),
        });
        res.end(text);
      } else {
        req.socket.destroy();
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    if (closed || down) {
      socket.destroy();
      return;
    }
    if (started && faults.activeOutage(elapsed())) {
      stats.droppedByOutage();
      socket.destroy();
      void sync();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const text = JSON.stringify({ error: { code: 'invalid_request', message: 'Malformed HTTP request.' } });
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nrequest-id: ${newId('req')}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
    );
  });

  await listen(o.port);
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('startSimulator: unexpected server address');
  port = address.port;
  const hostForUrl = o.host.includes(':') ? `[${o.host}]` : o.host;
  const origin = `http://${hostForUrl}:${port}`;
  state.origin = origin;

  for (const [i, spec] of o.faults.entries()) {
    try {
      faults.add(spec);
    } catch (err) {
      await stopListening();
      const message =
        err instanceof Error
          ? err.message.replace('faults.add(spec)', `startSimulator: options.faults[${i}]`)
          : String(err);
      throw err instanceof TypeError ? new TypeError(message) : new RangeError(message);
    }
  }
  started = true;
  await sync();

  return {
    url: `${origin}${API_PREFIX}`,
    origin,
    port,
    host: o.host,
    scenario: o.scenario,
    startedAt,
    faults,
    credits: {
      get: (workspaceId = SIMULATOR_WORKSPACE_ID) => state.balance(workspaceId),
      set: (workspaceId: string, usd: number) => {
        if (typeof workspaceId !== 'string' || !workspaceId.startsWith('ws_')) {
          throw new TypeError(
            `credits.set: workspaceId must start with 'ws_', got ${JSON.stringify(workspaceId)}`,
          );
        }
        if (typeof usd !== 'number' || Number.isNaN(usd) || usd < 0) {
          throw new RangeError(`credits.set: usd must be a number ≥ 0, got ${String(usd)}`);
        }
        state.setBalance(workspaceId, usd);
      },
    },
    elapsed,
    isDown: () => down,
    sync,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    close: async () => {
      if (closed) return;
      closed = true;
      if (outageTimer) clearTimeout(outageTimer);
      for (const t of timers) {
        clearTimeout(t.timer);
        t.resolve();
      }
      timers.clear();
      await transition.catch(() => undefined);
      await stopListening();
      destroyAll();
    },
  };
}

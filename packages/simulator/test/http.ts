import { request as httpRequest } from 'node:http';
import { SIMULATOR_API_KEY } from '@flora-resilience/simulator';

/** A raw HTTP response as the tests see it. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** JSON.parse(text), or undefined when it does not parse. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  json: any;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** Sent as-is (not JSON-encoded). */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  /** Default: SIMULATOR_API_KEY; `null` sends no Authorization header. */
  apiKey?: string | null;
}

/**
 * One request with node:http and no keep-alive agent (fake-timer friendly, and every call is a fresh
 * connection, so outages are observed exactly).
 */
export function call(base: string, path: string, opts: CallOptions = {}): Promise<RawResponse> {
  const url = new URL(base + path);
  const headers: Record<string, string> = { ...opts.headers };
  const apiKey = opts.apiKey === undefined ? SIMULATOR_API_KEY : opts.apiKey;
  if (apiKey !== null) headers.authorization = `Bearer ${apiKey}`;
  let payload: string | Buffer | undefined = opts.rawBody;
  if (payload === undefined && opts.body !== undefined) payload = JSON.stringify(opts.body);
  if (payload !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: opts.method ?? (payload === undefined ? 'GET' : 'POST'), headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Rejects with the network error code, e.g. `ECONNRESET` / `ECONNREFUSED`. */
export async function networkError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? String(err);
  }
  throw new Error('expected a network error, got a response');
}

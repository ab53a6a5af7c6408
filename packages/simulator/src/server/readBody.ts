import type { IncomingMessage } from 'node:http';

/** The outcome of reading a request body under a cap. */
export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'aborted' };

/**
 * Reads the body up to `maxBytes`. Past the cap it keeps draining (so the client can read the 413) up to
 * 4× the cap, then gives up and reports `too_large` anyway; the caller closes the connection.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const done = (r: BodyResult): void => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes * 4) {
      done({ ok: false, reason: 'too_large' });
      return;
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else if (size > maxBytes * 4) done({ ok: false, reason: 'too_large' });
    });
    req.on('end', () =>
      done(size > maxBytes ? { ok: false, reason: 'too_large' } : { ok: true, body: Buffer.concat(chunks) }),
    );
    req.on('error', () => done({ ok: false, reason: 'aborted' }));
    req.on('close', () => done({ ok: false, reason: 'aborted' }));
  });
}

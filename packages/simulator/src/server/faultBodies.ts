import { STATUS_CODES } from 'node:http';

/** The HTML page a proxy in front of the API would send (e.g. a 502 from a CDN). */
export function htmlErrorPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return `<!DOCTYPE html>\n<html>\n<head><title>${title}</title></head>\n<body>\n<center><h1>${title}</h1></center>\n<hr><center>cloudflare</center>\n</body>\n</html>\n`;
}

/** A JSON body cut in half: an error envelope for ≥ 400, a run object otherwise. */
export function truncatedJson(status: number): string {
  const full =
    status >= 400
      ? JSON.stringify({
          error: {
            code: 'internal_error',
            message: 'An internal error occurred while processing the request.',
          },
        })
      : JSON.stringify({
          run_id: 'run_truncated0000000000000000',
          status: 'pending',
          progress: 0,
          created_at: 0,
        });
  return full.slice(0, Math.floor(full.length / 2));
}

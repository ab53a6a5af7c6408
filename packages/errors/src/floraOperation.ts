/** FLORA's id prefixes (flora-api.md §6), plus `proj_` from one guide and `req_`/`output_`. */
// A segment that merely STARTS with a FLORA id prefix is an id: `run_ab.c` must not leak into a label.
const ID = /^(?:run|asset|prj|proj|ws|tech|fld|libfolder|fb|whd|whsec|req|node|output|gen|log|sk)_./i;
/** Methods kept as they are; anything else is reported as `OTHER`, so labels stay bounded and well-formed. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMERIC = /^\d+$/;
const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface FloraOperationOptions {
  /** Keep technique/action slugs (provider failures are per technique). Default `true`. */
  readonly keepSlugs?: boolean;
}

/**
 * A bounded, stable name for a FLORA operation: `METHOD /route/template`. The `/api/v1` prefix and the
 * query string go; FLORA ids (`run_…`, `asset_…`, `prj_…`, `ws_…`…), UUIDs and numbers become `:id`;
 * anything that does not look like a slug becomes `:id` too. Slugs are kept unless told otherwise.
 * The method is upper-cased; a method outside the standard HTTP set becomes `OTHER`.
 *
 * `floraOperation('GET', 'https://app.flora.ai/api/v1/techniques/thumbnail-v3/runs/run_9f8e')`
 * → `GET /techniques/thumbnail-v3/runs/:id`
 */
export function floraOperation(
  method: string | undefined,
  url: string | URL,
  options: FloraOperationOptions = {},
): string {
  const keepSlugs = options.keepSlugs ?? true;
  // Several plugins name the same attempt on every call: remember recent answers (bounded, and pure, so
  // always safe), keyed without building a key string per lookup.
  const full = typeof url === 'string' ? url : url instanceof URL ? url.href : String(url);
  const memo = keepSlugs ? WITH_SLUGS : WITHOUT_SLUGS;
  const verb = method ?? '';
  let byHref = memo.get(verb);
  if (byHref === undefined) {
    if (memo.size >= MEMO_METHODS) memo.clear();
    byHref = new Map();
    memo.set(verb, byHref);
  }
  const href = withoutQuery(full);
  const known = byHref.get(href);
  if (known !== undefined) return known;
  const result = compute(method, href, keepSlugs);
  if (byHref.size >= MEMO_MAX) byHref.clear();
  byHref.set(href, result);
  return result;
}

/** The URL up to its query string or fragment. */
function withoutQuery(url: string): string {
  const query = url.indexOf('?');
  const hash = url.indexOf('#');
  const cut = query < 0 ? hash : hash < 0 ? query : Math.min(query, hash);
  return cut < 0 ? url : url.slice(0, cut);
}

/** method → URL without query → operation; bounded per method and in methods. */
const WITH_SLUGS = new Map<string, Map<string, string>>();
const WITHOUT_SLUGS = new Map<string, Map<string, string>>();
const MEMO_MAX = 1_024;
const MEMO_METHODS = 16;

function compute(method: string | undefined, url: string, keepSlugs: boolean): string {
  let path: string;
  try {
    path = new URL(url, 'http://flora.invalid').pathname;
  } catch {
    path = url.split('?')[0] ?? '/';
  }
  const marker = path.indexOf('/api/v1');
  if (marker >= 0) path = path.slice(marker + '/api/v1'.length);
  const segments = path.split('/').filter((s) => s !== '');
  const out = segments.map((raw, i) => {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return ':id';
    }
    if (ID.test(segment) || UUID.test(segment) || NUMERIC.test(segment)) return ':id';
    if (!SLUG.test(segment)) return ':id';
    // Even positions are collection names (techniques, runs, assets…); odd ones are ids or slugs.
    if (i % 2 === 1 && !keepSlugs) return ':id';
    return segment;
  });
  const verb = typeof method === 'string' ? method.trim().toUpperCase() : 'GET';
  return `${METHODS.has(verb) ? verb : 'OTHER'} /${out.join('/')}`;
}

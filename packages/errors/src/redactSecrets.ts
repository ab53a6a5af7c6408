const SECRET_PATTERNS: readonly RegExp[] = [
  // Any Authorization-style credential (first, so `Bearer sk_live_…` becomes `Bearer [REDACTED]`).
  /\b((?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]+/gi,
  // FLORA API keys (and webhook secrets), wherever they appear, even glued to a word (`token_sk_live_…`):
  // over-redacting is harmless, a leaked key is not.
  /(sk_(?:live|test)_|whsec_)[A-Za-z0-9_-]+/g,
];

/**
 * Replaces every API key, webhook secret and bearer/basic credential in `text` with `[REDACTED]`,
 * keeping the prefix so a reader still sees what kind of secret was there.
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, '$1[REDACTED]');
  return out;
}

/** Removes credentials and the query string from a URL, keeping origin and path. Never throws. */
export function redactUrl(url: string | URL | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const u = new URL(String(url));
    return redactSecrets(`${u.origin}${u.pathname}`);
  } catch {
    const text = String(url);
    return redactSecrets(text.split('?')[0] ?? '').slice(0, 2048);
  }
}

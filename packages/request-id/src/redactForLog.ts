import { redactSecrets } from '@flora-resilience/errors';

const REDACTED_CREDENTIAL = /\b(?:Bearer|Basic)\s*\[REDACTED\]/gi;

/**
 * `redactSecrets` (API keys, webhook secrets, `Bearer`/`Basic` credentials), then drops the scheme word
 * it keeps in front of a redacted credential, so a log line or ticket never even says `Bearer`.
 */
export function redactForLog(text: string): string {
  return redactSecrets(text).replace(REDACTED_CREDENTIAL, '[REDACTED]');
}

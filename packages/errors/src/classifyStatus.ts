import { API_CODES, type CodeInfo, isKnownApiCode } from './apiCodes.js';

/** What a status alone says, used when the code is absent, unknown, or belongs to another status class. */
export function classifyStatus(status: number): CodeInfo & { readonly fallbackCode: string } {
  const at = (info: Omit<CodeInfo, 'statuses'>, fallbackCode: string) => ({
    ...info,
    statuses: [status],
    fallbackCode,
  });
  switch (status) {
    case 400:
      return at(
        { category: 'invalid_request', retryable: false, hint: API_CODES.input_validation_error.hint },
        'bad_request',
      );
    case 401:
      return at(
        { category: 'authentication', retryable: false, hint: API_CODES.invalid_api_key.hint },
        'unauthorized',
      );
    case 402:
      return at(
        { category: 'billing', retryable: false, hint: API_CODES.insufficient_credits.hint },
        'payment_required',
      );
    case 403:
      return at({ category: 'permission', retryable: false, hint: API_CODES.forbidden.hint }, 'forbidden');
    case 404:
    case 410:
      return at({ category: 'not_found', retryable: false, hint: API_CODES.not_found.hint }, 'not_found');
    case 408:
      return at(
        {
          category: 'timeout',
          retryable: true,
          hint: 'The server timed out waiting for the request: retry with backoff.',
        },
        'request_timeout',
      );
    case 409:
      return at({ category: 'conflict', retryable: false, hint: API_CODES.conflict.hint }, 'conflict');
    case 413:
      return at(
        {
          category: 'invalid_request',
          retryable: false,
          hint: 'The request body is too large: send a smaller body (direct uploads take at most 4 MB).',
        },
        'payload_too_large',
      );
    case 422:
      return at(
        {
          category: 'invalid_request',
          retryable: false,
          hint: 'The request was understood but rejected: fix it before sending again.',
        },
        'unprocessable_entity',
      );
    case 429:
      return at(
        { category: 'rate_limited', retryable: true, hint: API_CODES.rate_limited.hint },
        'rate_limited',
      );
    case 501:
      return at(
        {
          category: 'server',
          retryable: false,
          hint: 'FLORA does not implement this operation: do not retry.',
        },
        'not_implemented',
      );
    case 502:
    case 503:
    case 504:
      return at(
        { category: 'server', retryable: true, hint: API_CODES.service_unavailable.hint },
        status === 503 ? 'service_unavailable' : status === 502 ? 'bad_gateway' : 'gateway_timeout',
      );
    default:
      if (status >= 500 && status <= 599)
        return at(
          { category: 'server', retryable: true, hint: API_CODES.internal_error.hint },
          'server_error',
        );
      if (status >= 400 && status <= 499)
        return at(
          {
            category: 'invalid_request',
            retryable: false,
            hint: 'FLORA rejected the request: fix it before sending again.',
          },
          'client_error',
        );
      return at(
        {
          category: 'unknown',
          retryable: false,
          hint: 'FLORA answered with an unexpected status: check the endpoint and contact support with the request-id.',
        },
        'unexpected_status',
      );
  }
}

/**
 * Status first, then code: a documented code refines the classification only when it arrives with a
 * status FLORA documents for it. A code under another status (or an unknown code) keeps the status's
 * classification, so a code can never turn a non-retryable status into a retryable one.
 */
export function classifyHttp(status: number, code: string | undefined): CodeInfo & { readonly code: string } {
  if (code !== undefined && isKnownApiCode(code)) {
    const info: CodeInfo = API_CODES[code];
    if (info.statuses.includes(status)) return { ...info, code };
  }
  const byStatus = classifyStatus(status);
  return { ...byStatus, code: code ?? byStatus.fallbackCode };
}

/** A run-level failure: what a failed run reports in `error_code` / `error_message`. */
export interface RunError {
  code: string;
  message: string;
}

/** The named run-error vocabularies (flora-api.md §1.4). */
export type RunErrorVocabularyName = 'docs' | 'spec' | 'production';

/**
 * - `docs`: vocabulary A, lowercase codes from the developer docs' errors page.
 * - `spec`: vocabulary B, the OpenAPI / API-reference example `provider_error`.
 * - `production`: vocabulary C, UPPER_SNAKE codes measured in production, including the moderation trap:
 *   `GPU_PROVIDER_ERROR` and `GENERATION_NO_RESULT` carrying a safety-refusal message.
 */
export const RUN_ERROR_VOCABULARIES: Readonly<Record<RunErrorVocabularyName, readonly RunError[]>> = {
  docs: [
    { code: 'model_timeout', message: 'The model did not return in time.' },
    { code: 'safety_blocked', message: 'The request was blocked by the safety system. Adjust the prompt.' },
    { code: 'input_unreachable', message: 'An input URL could not be fetched.' },
    { code: 'internal_error', message: 'Generic execution failure.' },
  ],
  spec: [{ code: 'provider_error', message: 'The provider failed to complete the generation.' }],
  production: [
    { code: 'GENERATION_PROVIDER_TIMEOUT', message: 'The generation provider timed out.' },
    { code: 'GPU_PROVIDER_ERROR', message: 'The GPU provider returned an error.' },
    {
      code: 'GPU_PROVIDER_ERROR',
      message:
        'Your request was rejected by the safety system. If you believe this is an error, contact support. safety_violations=[sexual]',
    },
    { code: 'GENERATION_GENERIC_ERROR', message: 'The generation failed.' },
    { code: 'GENERATION_DOWNSTREAM_SERVICE_ERROR', message: 'A downstream service failed.' },
    { code: 'GENERATION_QUEUE_TOO_LARGE', message: 'The provider queue is too large.' },
    {
      code: 'GENERATION_NO_RESULT',
      message: 'The provider returned no result: content was flagged by moderation.',
    },
    { code: 'GENERATION_PROMPT_MODERATED', message: 'The prompt was moderated.' },
    { code: 'SERVER_ERROR', message: 'Internal server error.' },
  ],
};

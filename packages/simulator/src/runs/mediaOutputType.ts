import type { RunRecord } from './RunRecord.js';

/** The media types of generations and action slots. */
export const MEDIA_TYPES = ['image', 'video', 'audio', 'text'] as const;

/** One of {@link MEDIA_TYPES}. */
export type MediaType = (typeof MEDIA_TYPES)[number];

/** The run output type (§4.2) that a media type produces. */
export const OUTPUT_TYPE_OF: Record<MediaType, RunRecord['outputType']> = {
  image: 'imageUrl',
  video: 'videoUrl',
  audio: 'audioUrl',
  text: 'text',
};

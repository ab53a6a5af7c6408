/** One declared input of a technique. */
export interface TechniqueInput {
  id: string;
  type: 'text' | 'imageUrl' | 'videoUrl';
  name: string;
  required: boolean;
}

/** A technique as `GET /techniques/{id}` returns it (plus `slug`). */
export interface TechniqueDefinition {
  technique_id: string;
  slug: string;
  name: string;
  description?: string;
  /** USD charged per run. */
  run_cost: number;
  inputs: TechniqueInput[];
  outputs: { id: string; type: 'imageUrl' | 'videoUrl' | 'audioUrl' | 'text' }[];
}

/** A model as `GET /models` returns it (plus `run_cost` in USD, charged per `POST /generate`). */
export interface ModelDefinition {
  model_id: string;
  name: string;
  provider: string;
  type: 'image' | 'video' | 'audio' | 'text';
  capabilities: string[];
  estimated_credits: number;
  estimated_seconds: number;
  params: { name: string; type: string; default?: unknown }[];
  run_cost: number;
  beta?: boolean;
}

/** The seeded techniques: `thumbnail-v3`, `upscale-4k`, `cctv-cam`. */
export const DEFAULT_TECHNIQUES: readonly TechniqueDefinition[] = [
  {
    technique_id: 'tech_thumbnail_v3',
    slug: 'thumbnail-v3',
    name: 'Thumbnail v3',
    description: 'A thumbnail from a prompt and an optional reference image.',
    run_cost: 0.05,
    inputs: [
      { id: 'prompt', type: 'text', name: 'Prompt', required: true },
      { id: 'reference', type: 'imageUrl', name: 'Reference image', required: false },
    ],
    outputs: [{ id: 'output_1', type: 'imageUrl' }],
  },
  {
    technique_id: 'tech_upscale_4k',
    slug: 'upscale-4k',
    name: 'Upscale 4K',
    description: 'Upscales an image to 4K.',
    run_cost: 0.2,
    inputs: [{ id: 'image', type: 'imageUrl', name: 'Image', required: true }],
    outputs: [{ id: 'output_1', type: 'imageUrl' }],
  },
  {
    technique_id: 'tech_cctv_cam',
    slug: 'cctv-cam',
    name: 'CCTV cam',
    description: 'Turns an image into a CCTV-style video clip.',
    run_cost: 0.5,
    inputs: [
      { id: 'image', type: 'imageUrl', name: 'Image', required: true },
      { id: 'prompt', type: 'text', name: 'Prompt', required: false },
    ],
    outputs: [{ id: 'output_1', type: 'videoUrl' }],
  },
];

/** The seeded models, one or more per generation type. */
export const DEFAULT_MODELS: readonly ModelDefinition[] = [
  {
    model_id: 'fal-ai/flux-pro/v1.1',
    name: 'FLUX1.1 [pro]',
    provider: 'fal',
    type: 'image',
    capabilities: ['text-to-image'],
    estimated_credits: 40,
    estimated_seconds: 10,
    params: [{ name: 'aspect_ratio', type: 'string', default: '1:1' }],
    run_cost: 0.04,
  },
  {
    model_id: 'fal-ai/flux/schnell',
    name: 'FLUX.1 [schnell]',
    provider: 'fal',
    type: 'image',
    capabilities: ['text-to-image'],
    estimated_credits: 3,
    estimated_seconds: 3,
    params: [{ name: 'aspect_ratio', type: 'string', default: '1:1' }],
    run_cost: 0.003,
  },
  {
    model_id: 'fal-ai/kling-video/v2/master',
    name: 'Kling 2.0 Master',
    provider: 'fal',
    type: 'video',
    capabilities: ['text-to-video', 'image-to-video'],
    estimated_credits: 1400,
    estimated_seconds: 120,
    params: [{ name: 'duration', type: 'number', default: 5 }],
    run_cost: 1.4,
  },
  {
    model_id: 'elevenlabs/tts/multilingual-v2',
    name: 'ElevenLabs Multilingual v2',
    provider: 'elevenlabs',
    type: 'audio',
    capabilities: ['text-to-speech'],
    estimated_credits: 20,
    estimated_seconds: 5,
    params: [],
    run_cost: 0.02,
  },
  {
    model_id: 'openai/gpt-4o',
    name: 'GPT-4o',
    provider: 'openai',
    type: 'text',
    capabilities: ['text-generation'],
    estimated_credits: 5,
    estimated_seconds: 4,
    params: [],
    run_cost: 0.005,
  },
];

/** A media type an action slot takes or gives. */
export type ActionMediaType = 'image' | 'video' | 'audio' | 'text';

/** A prebuilt action as `GET /actions` returns it (the spec's shape; `action_id` is a raw slug). */
export interface ActionDefinition {
  action_id: string;
  name: string;
  description: string;
  language: 'javascript' | 'python';
  /** USD charged per `POST /runs/action`. */
  charged_cost: number;
  /** Simulated duration hint for the start shape's `estimated_seconds`. */
  estimated_seconds: number;
  inputs: { name: string; type: ActionMediaType; dynamic?: boolean }[];
  outputs: { name: string; type: ActionMediaType; dynamic?: boolean }[];
  params: { key: string; type: string; label?: string; default_value?: unknown }[];
}

/** The seeded actions: `color-grade-image-browser`, `rotate-image`, `concat-text`, `split-audio-from-video`. */
export const DEFAULT_ACTIONS: readonly ActionDefinition[] = [
  {
    action_id: 'color-grade-image-browser',
    name: 'Color Grade Image',
    description: 'Applies a color grade to an image.',
    language: 'javascript',
    charged_cost: 0.01,
    estimated_seconds: 2,
    inputs: [{ name: 'image', type: 'image' }],
    outputs: [{ name: 'image', type: 'image' }],
    params: [{ key: 'preset', type: 'select', label: 'Preset', default_value: 'warm' }],
  },
  {
    action_id: 'rotate-image',
    name: 'Rotate Image',
    description: 'Rotate an image by a fixed angle.',
    language: 'javascript',
    charged_cost: 0.001,
    estimated_seconds: 1,
    inputs: [{ name: 'image', type: 'image' }],
    outputs: [{ name: 'image', type: 'image' }],
    params: [{ key: 'angle', type: 'select', label: 'Angle', default_value: '90' }],
  },
  {
    action_id: 'concat-text',
    name: 'Concat Text',
    description: 'Joins several texts into one.',
    language: 'javascript',
    charged_cost: 0,
    estimated_seconds: 1,
    inputs: [{ name: 'text', type: 'text', dynamic: true }],
    outputs: [{ name: 'text', type: 'text' }],
    params: [{ key: 'separator', type: 'text', label: 'Separator', default_value: ' ' }],
  },
  {
    action_id: 'split-audio-from-video',
    name: 'Split Audio From Video',
    description: 'Extracts the audio track of a video.',
    language: 'python',
    charged_cost: 0.02,
    estimated_seconds: 6,
    inputs: [{ name: 'video', type: 'video' }],
    outputs: [{ name: 'audio', type: 'audio' }],
    params: [],
  },
];

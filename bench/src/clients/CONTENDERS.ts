import type { ClientFactory } from '../BenchClient.js';
import { bareGot } from './bareGot.js';
import { floraSdk } from './floraSdk.js';
import { gotDefaultRetry } from './gotDefaultRetry.js';
import { preset } from './preset.js';

/** The clients every failure scenario runs, in table order: the preset, the two baselines, and no retry at all. */
export const FAILURE_CONTENDERS: readonly ClientFactory[] = [preset(), gotDefaultRetry, floraSdk, bareGot];

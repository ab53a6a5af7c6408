export { type RerunOptions, type WaitForRunOptions, waitForRun } from './waitForRun.js';

export type { Disposable } from '@flora-resilience/errors';

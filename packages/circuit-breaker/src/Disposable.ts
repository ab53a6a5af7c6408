/** What every subscription and every owner of a timer or listener returns or implements. */
export type { Disposable } from '@flora-resilience/errors';

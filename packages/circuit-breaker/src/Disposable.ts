/** What every subscription and every owner of a timer or listener returns or implements. */
export interface Disposable {
  /** Ends the subscription / releases the resource. Idempotent. */
  dispose(): void;
}

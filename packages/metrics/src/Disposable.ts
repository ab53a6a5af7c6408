/** Something that owns a subscription or registry entry and lets it go. `dispose()` is idempotent. */
export interface Disposable {
  dispose(): void;
}

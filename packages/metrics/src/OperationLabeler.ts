import { OTHER_LABEL } from './OTHER_LABEL.js';

/**
 * Bounds the `operation` label: the first `maxOperations` distinct operations keep their name, every later
 * one becomes `_OTHER`. Operations are already route templates (`POST /techniques/thumbnail-v3/runs`), so
 * the cap only bites when many distinct slugs (techniques, actions) pass through one client.
 */
export class OperationLabeler {
  readonly #seen = new Set<string>();
  readonly #max: number;

  constructor(maxOperations: number) {
    this.#max = maxOperations;
  }

  /** The label for `operation`, admitting it when there is room. */
  label(operation: string): string {
    if (operation === OTHER_LABEL || this.#seen.has(operation)) return operation;
    if (this.#seen.size >= this.#max) return OTHER_LABEL;
    this.#seen.add(operation);
    return operation;
  }

  /** How many distinct operations have their own label. */
  get size(): number {
    return this.#seen.size;
  }
}

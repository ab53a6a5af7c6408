/** JSON with object keys sorted recursively: two bodies are "the same" when these strings are equal. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((v) => stableStringify(v === undefined ? null : v)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

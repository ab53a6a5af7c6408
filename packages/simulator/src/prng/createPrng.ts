/** A seeded pseudo-random source: `next()` returns a float in [0, 1). */
export interface Prng {
  next(): number;
}

/** Hashes a string seed to 32 bits (FNV-1a), so `seed: 'ci-run-7'` works as well as `seed: 7`. */
export function seedToUint32(seed: number | string): number {
  if (typeof seed === 'number') return seed >>> 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * mulberry32, hand-written (12 lines, public domain): a fast 32-bit PRNG that is more than good enough
 * to pick faults and run outcomes deterministically. `stream` derives independent sequences from one seed,
 * so drawing a run outcome never shifts the fault sequence.
 */
export function createPrng(seed: number | string, stream = 0): Prng {
  let a = (seedToUint32(seed) ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  return {
    next(): number {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

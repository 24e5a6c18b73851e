/**
 * Deterministic pseudo-random numbers (mulberry32) for synthetic data: the SIE benchmark
 * generator and the demo population. Pure: the same seed always gives the same sequence.
 * Never for secrets (ids, capabilities and keys come from the CSPRNG).
 */

export interface Rng {
  /** Uniform float in [0, 1). */
  readonly next: () => number;
  /** Uniform integer in [min, max] (both inclusive). */
  readonly int: (min: number, max: number) => number;
  /** True with probability p. */
  readonly chance: (p: number) => boolean;
  /** One element of a non-empty list. */
  readonly pick: <T>(items: readonly T[]) => T;
  /** Integer öre, log-uniformly distributed between two amounts in öre. */
  readonly amount: (minOre: number, maxOre: number) => number;
  /** Standard normal (mean 0, standard deviation 1), by the Box–Muller transform. */
  readonly normal: () => number;
}

/** mulberry32: tiny, fast 32-bit PRNG; good enough for test data, not for cryptography. */
export const mulberry32 = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** Derives an independent stream seed from a user seed and a stream label. */
export const deriveSeed = (seed: number, label: string): number => {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  }
  return h;
};

export const createRng = (seed: number): Rng => {
  const next = mulberry32(seed);
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(next() * items.length)];
    if (item === undefined) throw new Error('pick() from an empty list');
    return item;
  };
  const amount = (minOre: number, maxOre: number): number =>
    Math.round(Math.exp(Math.log(minOre) + next() * (Math.log(maxOre) - Math.log(minOre))));
  // Box–Muller gives two independent normals per pair of uniforms; the second is kept for
  // the next call. 1 − next() lies in (0, 1], so the logarithm is always finite.
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - next()));
    const angle = 2 * Math.PI * next();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
  return { next, int, chance: (p) => next() < p, pick, amount, normal };
};

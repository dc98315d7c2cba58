// Generated from core/src/forecast/random.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * Seeded pseudo-random numbers, so that every forecast and every benchmark is
 * reproducible: same input, same output. Never Math.random.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
}

/** mulberry32: tiny, fast, good enough for Monte Carlo paths and synthetic data. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** Standard normal draw (Box-Muller). */
export function normalDraw(rng: Rng): number {
  const u1 = Math.max(rng.next(), 1e-12);
  const u2 = rng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Gamma(shape, scale) draw (Marsaglia-Tsang; shape < 1 boosted). Mean = shape * scale. */
export function gammaDraw(rng: Rng, shape: number, scale: number): number {
  if (!(shape > 0) || !(scale > 0)) return 0;
  if (shape < 1) {
    const u = Math.max(rng.next(), 1e-12);
    return gammaDraw(rng, shape + 1, scale) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normalDraw(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
    if (Math.log(Math.max(u, 1e-300)) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/** Exponential draw with the given mean. */
export function exponentialDraw(rng: Rng, mean: number): number {
  return -Math.log(Math.max(1 - rng.next(), 1e-12)) * mean;
}

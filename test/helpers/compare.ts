// Shared helpers for the native-vs-reference tests: seeded data, float64 copies, and a comparison that
// reports kernel, ISA, shape, index and both values on the first mismatch.
import { Rng } from '../../lib/rng';
import type { FloatArray } from '../../lib/backend/backend';

export const EPS32 = 2 ** -23;

/** A Float32Array of n values uniform in [lo, hi), from a seeded stream. */
export function randomF32(rng: Rng, n: number, lo = -1, hi = 1): Float32Array {
  const a = new Float32Array(n);
  rng.fillUniform(a, lo, hi);
  return a;
}

export function toF64(a: FloatArray): Float64Array {
  return Float64Array.from(a);
}

export function maxAbs(a: FloatArray): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/**
 * Asserts |actual − expected| ≤ atol + rtol·|expected| elementwise (NaN must match NaN, ±Inf must match).
 * The label names kernel, ISA and shape; the message adds the index and both values.
 */
export function expectClose(label: string, actual: FloatArray, expected: FloatArray, atol: number, rtol = 0): void {
  if (actual.length !== expected.length) {
    throw new Error(`${label}: length ${actual.length} != expected ${expected.length}`);
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) && Number.isNaN(a)) continue;
    } else if (a === e) continue;
    else if (Number.isFinite(e) && Math.abs(a - e) <= atol + rtol * Math.abs(e)) continue;
    throw new Error(`${label}: index ${i}: native ${a} vs reference ${e} (|diff| ${Math.abs(a - e)}, ` +
      `tolerance ${atol + rtol * Math.abs(e)})`);
  }
}

// Column statistics accumulated batch by batch for the scalers: mean and M2 merged with Chan et al.'s
// parallel formula (the same one the kernels use between row blocks), and column min/max. Each batch is
// one backend kernel call; a non-finite result means NaN/Infinity in the data (an error naming row and
// column) or, with finite data, a float32 overflow in the kernel (then recomputed in float64).
// Also scikit-learn's constant-feature rules. Not here: turning statistics into shift/scale.
import type { FloatArray } from '../backend/backend';
import { backends } from '../backend/select';
import { backendFor, findNonFinite, type MatrixView } from './io';

const EPS64 = 2 ** -52;

function like(data: FloatArray, n: number): FloatArray {
  return data instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
}

/** Columns j where a[j] or b[j] is NaN or ±Infinity. */
function nonFiniteCols(a: FloatArray, b: FloatArray): number[] {
  const bad: number[] = [];
  for (let j = 0; j < a.length; j++) if (!Number.isFinite(a[j]!) || !Number.isFinite(b[j]!)) bad.push(j);
  return bad;
}

/**
 * Runs a two-output column kernel on the batch; if some column comes out non-finite, the data is
 * scanned there: NaN/Inf → RangeError naming row and column; none → float32 overflow inside the
 * native kernel, so the float64 reference kernel recomputes the batch.
 */
function columnStats(m: MatrixView, where: string, kernel: 'colMeanVar' | 'colMinMax'): [FloatArray, FloatArray] {
  let a = like(m.data, m.cols), b = like(m.data, m.cols);
  backendFor(m.data)[kernel](m.rows, m.cols, m.data, a, b);
  const bad = nonFiniteCols(a, b);
  if (bad.length > 0) {
    const err = findNonFinite(where, m, bad);
    if (err) throw err;
    a = new Float64Array(m.cols);
    b = new Float64Array(m.cols);
    backends.reference[kernel](m.rows, m.cols, m.data, a, b);
  }
  return [a, b];
}

/** n, per-column mean and M2 = Σ(x − mean)² over every batch added so far. */
export class RunningMoments {
  n = 0;
  mean: Float64Array;
  m2: Float64Array;

  constructor(cols: number) {
    this.mean = new Float64Array(cols);
    this.m2 = new Float64Array(cols);
  }

  /**
   * Merges a batch (Chan, Golub & LeVeque 1979): δ = μ_b − μ_a, n = n_a + n_b,
   * μ = μ_a + δ·n_b/n, M2 = M2_a + M2_b + δ²·n_a·n_b/n (sklearn _incremental_mean_and_var).
   * Throws (NaN/Infinity in the batch) before changing anything.
   */
  add(m: MatrixView, where: string): void {
    const [mean, variance] = columnStats(m, where, 'colMeanVar');
    const na = this.n, nb = m.rows, n = na + nb;
    for (let j = 0; j < m.cols; j++) {
      const mb = mean[j]!, m2b = variance[j]! * nb;
      if (na === 0) {
        this.mean[j] = mb;
        this.m2[j] = m2b;
      } else {
        const delta = mb - this.mean[j]!;
        this.mean[j] = this.mean[j]! + delta * nb / n;
        this.m2[j] = this.m2[j]! + m2b + delta * delta * na * nb / n;
      }
    }
    this.n = n;
  }

  /** Population variance (ddof = 0), as sklearn's var_. */
  variance(): Float64Array {
    return this.m2.map((v) => v / this.n);
  }
}

/** Column min and max over every batch added so far. */
export class RunningRange {
  min: Float64Array;
  max: Float64Array;

  constructor(cols: number) {
    this.min = new Float64Array(cols).fill(Infinity);
    this.max = new Float64Array(cols).fill(-Infinity);
  }

  /** Merges a batch's column min/max; throws (NaN/Infinity in the batch) before changing anything. */
  add(m: MatrixView, where: string): void {
    const [lo, hi] = columnStats(m, where, 'colMinMax');
    for (let j = 0; j < m.cols; j++) {
      this.min[j] = Math.min(this.min[j]!, lo[j]!);
      this.max[j] = Math.max(this.max[j]!, hi[j]!);
    }
  }
}

/**
 * sklearn.utils.extmath._is_constant_feature: var ≤ n·ε·var + (n·mean·ε)² (ε of float64) marks a
 * column whose variance is only rounding noise; its scale becomes 1.
 */
export function isConstantFeature(variance: number, mean: number, n: number): boolean {
  return variance <= n * EPS64 * variance + (n * mean * EPS64) ** 2;
}

/** sklearn _handle_zeros_in_scale: scales below 10·ε (float64) become 1 (constant columns). */
export function handleZerosInScale(scale: number): number {
  return scale < 10 * EPS64 ? 1 : scale;
}

// Reference (specification) kernels of the norm family: naive per-column loops accumulated in float64,
// generic over Float32Array / Float64Array, one rounding when storing. Validation is the caller's
// (ReferenceBackend calls check_norm.ts first). Formulas: numpy.var (ddof = 0), scikit-learn scalers,
// PyTorch BatchNorm (torch.nn.BatchNorm1d docs; aten/src/ATen/native/Normalization.cpp). Not fast.
import type { FloatArray } from './backend';

/**
 * Column min and max; NaN propagates (torch.amin/amax). Written `v > m || v !== v` so the first NaN
 * sticks. rows = 0 leaves +Infinity / −Infinity.
 */
export function colMinMax(rows: number, cols: number, x: FloatArray, min: FloatArray, max: FloatArray): void {
  for (let j = 0; j < cols; j++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < rows; i++) {
      const v = x[i * cols + j]!;
      if (v < lo || v !== v) lo = Number.isNaN(lo) ? lo : v;
      if (v > hi || v !== v) hi = Number.isNaN(hi) ? hi : v;
    }
    min[j] = lo;
    max[j] = hi;
  }
}

/** out[0] ← mean of column j, out[1] ← Σ_i (x[i,j] − mean)², in float64 (two passes: colMeanVar). */
function columnSums(rows: number, cols: number, x: FloatArray, j: number, out: Float64Array): void {
  let s = 0;
  for (let i = 0; i < rows; i++) s += x[i * cols + j]!;
  const mu = s / rows;
  let ss = 0;
  for (let i = 0; i < rows; i++) {
    const d = x[i * cols + j]! - mu;
    ss += d * d;
  }
  out[0] = mu;
  out[1] = ss;
}
const sums = new Float64Array(2); // module scratch: kernels are synchronous and never re-entered

/**
 * Two-pass column mean and population variance in float64: μ = Σx/n, σ² = Σ(x − μ)²/n (numpy.var,
 * ddof = 0). The second pass around μ avoids the cancellation of Σx² − (Σx)²/n. rows = 0 gives NaN.
 * A column holding ±Infinity: μ = ±Infinity (NaN for both signs), σ² = NaN (x − μ is NaN or infinite).
 */
export function colMeanVar(rows: number, cols: number, x: FloatArray, mean: FloatArray, variance: FloatArray): void {
  for (let j = 0; j < cols; j++) {
    columnSums(rows, cols, x, j, sums);
    mean[j] = sums[0]!;
    variance[j] = sums[1]! / rows;
  }
}

/** out[i,j] ← (x[i,j] − shift[j])·scale[j] (sklearn: (X − mean_)/scale_ with scale = 1/scale_). */
export function colAffine(rows: number, cols: number, x: FloatArray, shift: FloatArray, scale: FloatArray,
  out: FloatArray): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[i * cols + j] = (x[i * cols + j]! - shift[j]!) * scale[j]!;
  }
}

/** out[i,j] ← x[i,j]/scale[j] + shift[j], the inverse of colAffine. */
export function colAffineInverse(rows: number, cols: number, x: FloatArray, shift: FloatArray, scale: FloatArray,
  out: FloatArray): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[i * cols + j] = x[i * cols + j]! / scale[j]! + shift[j]!;
  }
}

/**
 * BatchNorm training forward (torch.nn.BatchNorm1d, over the last axis): μ and biased σ² = Σ(x − μ)²/n
 * per column, r = 1/√(σ² + eps), out = (x − μ)·r·γ + β in float64; saveMean = μ, saveInvstd = r;
 * running stats: r̂ ← (1 − momentum)·r̂ + momentum·stat, with the unbiased Σ(x − μ)²/(n − 1) for the
 * variance (PyTorch). out may be x: each column is read completely before it is written.
 */
export function batchNormForwardTraining(rows: number, cols: number, x: FloatArray, gamma: FloatArray,
  beta: FloatArray, eps: number, momentum: number, runningMean: FloatArray, runningVar: FloatArray,
  out: FloatArray, saveMean: FloatArray, saveInvstd: FloatArray): void {
  for (let j = 0; j < cols; j++) {
    columnSums(rows, cols, x, j, sums);
    const mu = sums[0]!, ss = sums[1]!;
    const r = 1 / Math.sqrt(ss / rows + eps);
    saveMean[j] = mu;
    saveInvstd[j] = r;
    runningMean[j] = (1 - momentum) * runningMean[j]! + momentum * mu;
    runningVar[j] = (1 - momentum) * runningVar[j]! + momentum * (ss / (rows - 1));
    const k = r * gamma[j]!, b = beta[j]!;
    for (let i = 0; i < rows; i++) out[i * cols + j] = (x[i * cols + j]! - mu) * k + b;
  }
}

/** BatchNorm inference forward: out = (x − runningMean)/√(runningVar + eps)·γ + β. */
export function batchNormForwardInference(rows: number, cols: number, x: FloatArray, gamma: FloatArray,
  beta: FloatArray, eps: number, runningMean: FloatArray, runningVar: FloatArray, out: FloatArray): void {
  for (let j = 0; j < cols; j++) {
    const k = gamma[j]! / Math.sqrt(runningVar[j]! + eps), mu = runningMean[j]!, b = beta[j]!;
    for (let i = 0; i < rows; i++) out[i * cols + j] = (x[i * cols + j]! - mu) * k + b;
  }
}

/**
 * BatchNorm backward (PyTorch batch_norm_backward_cpu, training mode), n = rows, x̂ = (x − μ)·r:
 * dβ = Σdy, dγ = Σdy·x̂, dx = γ·r/n·(n·dy − dβ − x̂·dγ). Sums in float64 in row order; dγ, dβ are
 * added to (accumulate) or replace the destination; dx is read from dy before it is written (dx may be dy).
 */
export function batchNormBackward(rows: number, cols: number, x: FloatArray, dy: FloatArray, gamma: FloatArray,
  saveMean: FloatArray, saveInvstd: FloatArray, dx: FloatArray, dgamma: FloatArray, dbeta: FloatArray,
  accumulate: boolean): void {
  for (let j = 0; j < cols; j++) {
    const mu = saveMean[j]!, r = saveInvstd[j]!;
    let sdy = 0, sdyx = 0;
    for (let i = 0; i < rows; i++) {
      const g = dy[i * cols + j]!;
      sdy += g;
      sdyx += g * (x[i * cols + j]! - mu) * r;
    }
    const k = gamma[j]! * r / rows;
    for (let i = 0; i < rows; i++) {
      const xhat = (x[i * cols + j]! - mu) * r;
      dx[i * cols + j] = k * (rows * dy[i * cols + j]! - sdy - xhat * sdyx);
    }
    dgamma[j] = accumulate ? dgamma[j]! + sdyx : sdyx;
    dbeta[j] = accumulate ? dbeta[j]! + sdy : sdy;
  }
}

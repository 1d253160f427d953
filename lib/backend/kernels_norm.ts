// The Backend interface's kernels for feature scaling, column statistics and batch normalization (issue 4). Same rules as
// backend.ts: synchronous, destination-passing, never allocates; formula and edge semantics in each
// doc comment (the reference implementation in reference_norm.ts is the specification).
// All matrices are contiguous row-major rows×cols; statistics run over rows, per column (the last axis:
// features, or channels of NHWC data with rows = N·H·W). Not here: fitting state (lib/scaling), layers.
import type { FloatArray } from './backend';

export interface NormKernels {
  /**
   * min[j] ← min_i x[i,j], max[j] ← max_i x[i,j]. NaN propagates (a NaN in a column gives NaN in both).
   * rows = 0 gives +Infinity / −Infinity (the identities, so results of batches can be merged).
   */
  colMinMax(rows: number, cols: number, x: FloatArray, min: FloatArray, max: FloatArray): void;
  /**
   * mean[j] ← (1/n)·Σ_i x[i,j], variance[j] ← (1/n)·Σ_i (x[i,j] − mean[j])² (population, ddof = 0,
   * numpy.var / sklearn StandardScaler.var_), n = rows. Numerically stable (no Σx² − (Σx)²/n).
   * rows = 0 gives NaN (as torch.var_mean of an empty dimension). Non-finite data: a column holding
   * ±Infinity has mean ±Infinity (NaN when both signs occur) and variance NaN, as torch.mean /
   * torch.var and BatchNorm's running mean; a column holding NaN has both NaN.
   */
  colMeanVar(rows: number, cols: number, x: FloatArray, mean: FloatArray, variance: FloatArray): void;
  /** out[i,j] ← (x[i,j] − shift[j])·scale[j]. out may be x (in place); otherwise disjoint from it. */
  colAffine(rows: number, cols: number, x: FloatArray, shift: FloatArray, scale: FloatArray, out: FloatArray): void;
  /** out[i,j] ← x[i,j] / scale[j] + shift[j], the inverse of colAffine. out may be x. */
  colAffineInverse(rows: number, cols: number, x: FloatArray, shift: FloatArray, scale: FloatArray,
    out: FloatArray): void;
  /**
   * Batch normalization, training mode (torch.nn.BatchNorm1d/2d over the last axis, rows ≥ 2):
   * μ = mean over rows, σ² = biased variance, r = 1/√(σ² + eps);
   * out ← (x − μ)·r·gamma + beta; saveMean ← μ, saveInvstd ← r (for the backward pass);
   * runningMean ← (1 − momentum)·runningMean + momentum·μ,
   * runningVar ← (1 − momentum)·runningVar + momentum·σ²·n/(n − 1) (unbiased, as PyTorch).
   * out may be x.
   */
  batchNormForwardTraining(rows: number, cols: number, x: FloatArray, gamma: FloatArray, beta: FloatArray,
    eps: number, momentum: number, runningMean: FloatArray, runningVar: FloatArray, out: FloatArray,
    saveMean: FloatArray, saveInvstd: FloatArray): void;
  /** Batch normalization, inference: out ← (x − runningMean)/√(runningVar + eps)·gamma + beta. out may be x. */
  batchNormForwardInference(rows: number, cols: number, x: FloatArray, gamma: FloatArray, beta: FloatArray,
    eps: number, runningMean: FloatArray, runningVar: FloatArray, out: FloatArray): void;
  /**
   * Batch normalization backward (training-mode forward; PyTorch batch_norm_backward), n = rows,
   * x̂ = (x − saveMean)·saveInvstd:
   * dbeta[j] = Σ_i dy, dgamma[j] = Σ_i dy·x̂,
   * dx = gamma·saveInvstd/n · (n·dy − dbeta − x̂·dgamma).
   * accumulate = true adds into dgamma/dbeta (Parameter.grad convention), false overwrites them.
   * dx is always overwritten; dx may be dy.
   */
  batchNormBackward(rows: number, cols: number, x: FloatArray, dy: FloatArray, gamma: FloatArray,
    saveMean: FloatArray, saveInvstd: FloatArray, dx: FloatArray, dgamma: FloatArray, dbeta: FloatArray,
    accumulate: boolean): void;
}

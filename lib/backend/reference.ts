// The reference backend: naive TypeScript loops that SPECIFY every kernel (formula, source, edge cases).
// Contract: validates with check.ts, accepts Float32Array and Float64Array (mixed freely), computes in
// float64 and rounds once when storing into the destination; never allocates per call; NaN propagates
// as in PyTorch. Native kernels are correct when they match this within their stated tolerance.
// Not here: speed, threads, flush-to-zero (the reference never flushes denormals).

import type { Activation, Backend, FloatArray } from './backend';
import * as check from './check';
import * as checkOptim from './check_optim';
import type { AdagradHyper, AdamHyper, RmspropHyper, SgdHyper } from './kernels_optim';
import * as refOptim from './reference_optim';
import { erfc } from '../math/erf';
import * as checkNorm from './check_norm';
import * as refNorm from './reference_norm';

/** 1/√(2π), the standard normal density at 0 (PyTorch's kBeta = M_2_SQRTPI · M_SQRT1_2 · 0.5). */
const INV_SQRT_2PI = 0.3989422804014327;

// ---- scalar activations: y = f(x; p), p = negative slope for leakyRelu ----

function identity(x: number): number {
  return x;
}

/** relu(x) = max(0, x) (torch.nn.ReLU). Written `x < 0 ? 0 : x` so NaN → NaN and −0 → −0. */
function relu(x: number): number {
  return x < 0 ? 0 : x;
}

/** leakyRelu(x) = x if x ≥ 0 else slope·x (torch.nn.LeakyReLU). NaN → NaN. */
function leakyRelu(x: number, slope: number): number {
  return x < 0 ? slope * x : x;
}

/**
 * sigmoid(x) = 1 / (1 + e^−x) (torch.nn.Sigmoid). Stable form: for x < 0 use e^x / (1 + e^x), so
 * e^−x never overflows and tiny results keep their relative accuracy. NaN → NaN (`x >= 0` is false
 * and exp(NaN) = NaN).
 */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** tanh(x) (torch.nn.Tanh), Math.tanh. */
function tanh(x: number): number {
  return Math.tanh(x);
}

/**
 * Exact GELU (torch.nn.GELU, approximate='none'): x·Φ(x), Φ(x) = ½(1 + erf(x/√2)).
 * Computed as ½·x·erfc(−x/√2), the same function without the cancellation of 1 + erf for x ≪ 0
 * (PyTorch's float form rounds the far-left tail to ±0; this keeps its tiny negative values).
 */
function gelu(x: number): number {
  return 0.5 * x * erfc(-x * Math.SQRT1_2);
}

type Scalar = (x: number, p: number) => number;

function forwardFn(act: Activation): Scalar {
  switch (act) {
    case 'none': return identity;
    case 'relu': return relu;
    case 'leakyRelu': return leakyRelu;
    case 'sigmoid': return sigmoid;
    case 'tanh': return tanh;
    case 'gelu': return gelu;
  }
}

// ---- scalar derivatives: dx = g(dy, v; p), v = y (output) or x (input for gelu) ----

function passGrad(dy: number): number {
  return dy;
}

/**
 * relu'(from y): PyTorch threshold_backward(dy, y, 0) = `y <= 0 ? 0 : dy`. The gradient at 0 is 0;
 * a NaN y passes dy through unchanged, as PyTorch does (both comparisons with NaN are false).
 */
function reluGrad(dy: number, y: number): number {
  return y <= 0 ? 0 : dy;
}

/** leakyRelu'(from y): PyTorch leaky_relu_backward = `y > 0 ? dy : slope·dy` (valid for slope ≥ 0). */
function leakyReluGrad(dy: number, y: number, slope: number): number {
  return y > 0 ? dy : slope * dy;
}

/** sigmoid'(from y): PyTorch sigmoid_backward = dy·(1 − y)·y. */
function sigmoidGrad(dy: number, y: number): number {
  return dy * (1 - y) * y;
}

/** tanh'(from y): PyTorch tanh_backward = dy·(1 − y²). */
function tanhGrad(dy: number, y: number): number {
  return dy * (1 - y * y);
}

/**
 * gelu'(from x): PyTorch GeluBackward (approximate='none') = dy·(Φ(x) + x·φ(x)),
 * Φ(x) = ½(1 + erf(x/√2)) (here ½·erfc(−x/√2)), φ(x) = exp(−x²/2)/√(2π).
 */
function geluGrad(dy: number, x: number): number {
  const cdf = 0.5 * erfc(-x * Math.SQRT1_2);
  const pdf = INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  return dy * (cdf + x * pdf);
}

type Derivative = (dy: number, v: number, p: number) => number;

function backwardFn(act: Activation): Derivative {
  switch (act) {
    case 'none': return passGrad;
    case 'relu': return reluGrad;
    case 'leakyRelu': return leakyReluGrad;
    case 'sigmoid': return sigmoidGrad;
    case 'tanh': return tanhGrad;
    case 'gelu': return geluGrad;
  }
}

/**
 * Σ_p op(A)[i,p]·op(B)[p,j] accumulated in float64, where op(A)[i,p] = a[i·ai + p·ap] and
 * op(B)[p,j] = b[p·bp + j·bj] (the strides encode transposition and leading dimensions).
 */
function dot(k: number, a: FloatArray, aBase: number, ap: number, b: FloatArray, bBase: number, bp: number): number {
  let acc = 0;
  for (let p = 0; p < k; p++) acc += a[aBase + p * ap]! * b[bBase + p * bp]!;
  return acc;
}

/** ReferenceBackend.sgemm without argument checks: for callers that have checked them (the native backend's small products). */
export function gemmUnchecked(transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, a: FloatArray, lda: number, b: FloatArray, ldb: number,
  beta: number, c: FloatArray, ldc: number): void {
  const ai = transA ? 1 : lda; // stride of op(A) along i
  const ap = transA ? lda : 1; // stride of op(A) along p
  const bp = transB ? 1 : ldb; // stride of op(B) along p
  const bj = transB ? ldb : 1; // stride of op(B) along j
  const readsAB = alpha !== 0 && k > 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const ci = i * ldc + j;
      if (!readsAB) {
        c[ci] = beta === 0 ? 0 : beta * c[ci]!;
      } else {
        const prod = alpha * dot(k, a, i * ai, ap, b, j * bj, bp);
        c[ci] = beta === 0 ? prod : prod + beta * c[ci]!;
      }
    }
  }
}

/** ReferenceBackend.sgemmBiasAct without argument checks. */
export function gemmBiasActUnchecked(transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: FloatArray, lda: number, b: FloatArray, ldb: number,
  bias: FloatArray | null, act: Activation, actParam: number, c: FloatArray, ldc: number): void {
  const f = forwardFn(act);
  const ai = transA ? 1 : lda;
  const ap = transA ? lda : 1;
  const bp = transB ? 1 : ldb;
  const bj = transB ? ldb : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const z = dot(k, a, i * ai, ap, b, j * bj, bp) + (bias === null ? 0 : bias[j]!);
      c[i * ldc + j] = f(z, actParam);
    }
  }
}

export class ReferenceBackend implements Backend {
  readonly name = 'reference' as const;
  readonly isa = 'js';

  /**
   * C ← α·op(A)·op(B) + β·C, row-major (BLAS xGEMM, netlib dgemm reference semantics):
   * β = 0: C is not read, so NaN/Inf in C are overwritten; α = 0 or k = 0: A and B are not read and
   * C ← β·C (zeros when β = 0). Each dot product is accumulated in float64, then α·acc + β·c is rounded
   * once into C: this is the accuracy reference float32 kernels are compared against.
   * Stored A is m×k (k×m if transA) with row stride lda; B is k×n (n×k if transB) with stride ldb.
   */
  sgemm(transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: FloatArray, lda: number, b: FloatArray, ldb: number,
    beta: number, c: FloatArray, ldc: number): void {
    check.sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    gemmUnchecked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  }

  /**
   * C ← act(op(A)·op(B) + bias), bias[j] broadcast over rows or absent (C is not read). The same
   * float64 dot product as sgemm (α = 1, β = 0); bias and activation are applied in float64 and the
   * result rounded once. This is Dense's forward (Keras Dense: activation(dot(x, kernel) + bias)).
   */
  sgemmBiasAct(transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: FloatArray, lda: number, b: FloatArray, ldb: number,
    bias: FloatArray | null, act: Activation, actParam: number, c: FloatArray, ldc: number): void {
    check.sgemmBiasAct(transA, transB, m, n, k, a, lda, b, ldb, bias, act, actParam, c, ldc);
    gemmBiasActUnchecked(transA, transB, m, n, k, a, lda, b, ldb, bias, act, actParam, c, ldc);
  }

  /**
   * y ← α·x + y over the first n elements (BLAS xAXPY). As netlib daxpy, α = 0 returns at once:
   * x is not read and y is unchanged (NaN in x does not propagate).
   */
  axpy(n: number, alpha: number, x: FloatArray, y: FloatArray): void {
    check.axpy(n, alpha, x, y);
    if (alpha === 0) return;
    for (let i = 0; i < n; i++) y[i] = alpha * x[i]! + y[i]!;
  }

  /** out ← α·x over the first n elements (BLAS xSCAL, out-of-place). α = 0 still reads x: 0·NaN = NaN. */
  scale(n: number, alpha: number, x: FloatArray, out: FloatArray): void {
    check.scale(n, alpha, x, out);
    for (let i = 0; i < n; i++) out[i] = alpha * x[i]!;
  }

  /** out[i] ← a[i] + b[i] (torch.add). out may be a or b. */
  add(n: number, a: FloatArray, b: FloatArray, out: FloatArray): void {
    check.add(n, a, b, out);
    for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
  }

  /** out[i] ← a[i]·b[i] (torch.mul, Hadamard product). out may be a or b. */
  mul(n: number, a: FloatArray, b: FloatArray, out: FloatArray): void {
    check.mul(n, a, b, out);
    for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
  }

  /** out[i,j] ← x[i,j] + bias[j], a contiguous rows×cols matrix (row broadcast, as NumPy/PyTorch). */
  biasAdd(rows: number, cols: number, x: FloatArray, bias: FloatArray, out: FloatArray): void {
    check.biasAdd(rows, cols, x, bias, out);
    for (let i = 0; i < rows; i++) {
      const row = i * cols;
      for (let j = 0; j < cols; j++) out[row + j] = x[row + j]! + bias[j]!;
    }
  }

  /**
   * out[j] ← α·Σ_i x[i,j] + β·out[j] over a contiguous rows×cols matrix (the bias gradient, Σ over
   * the batch: torch.sum(dim=0)). Each column sum is accumulated in float64 in row order. β = 0: out
   * is not read. rows = 0 gives α·0 + β·out.
   */
  colSum(rows: number, cols: number, alpha: number, x: FloatArray, beta: number, out: FloatArray): void {
    check.colSum(rows, cols, alpha, x, beta, out);
    for (let j = 0; j < cols; j++) {
      let acc = 0;
      for (let i = 0; i < rows; i++) acc += x[i * cols + j]!;
      out[j] = beta === 0 ? alpha * acc : alpha * acc + beta * out[j]!;
    }
  }

  /** out[i] ← act(x[i]) with the scalar definitions above (PyTorch semantics; NaN → NaN). */
  activationForward(act: Activation, actParam: number, n: number, x: FloatArray, out: FloatArray): void {
    check.activationForward(act, actParam, n, x, out);
    const f = forwardFn(act);
    for (let i = 0; i < n; i++) out[i] = f(x[i]!, actParam);
  }

  /**
   * dx[i] ← dy[i]·act'(·): from y for relu, leakyRelu, sigmoid, tanh; from x for gelu; dx = dy for
   * 'none' (see the scalar derivatives above for each formula and its PyTorch source).
   */
  activationBackward(act: Activation, actParam: number, n: number,
    x: FloatArray | null, y: FloatArray | null, dy: FloatArray, dx: FloatArray): void {
    check.activationBackward(act, actParam, n, x, y, dy, dx);
    const g = backwardFn(act);
    // check guarantees the array this activation needs is present; 'none' reads neither (v = dy).
    const v = (act === 'gelu' ? x : act === 'none' ? dy : y) as FloatArray;
    for (let i = 0; i < n; i++) dx[i] = g(dy[i]!, v[i]!, actParam);
  }

  // ---- feature scaling, column statistics, batch norm (issue 4): kernels_norm.ts ----
  // Each method validates (check_norm.ts), then runs the specification in reference_norm.ts.

  colMinMax(rows: number, cols: number, x: FloatArray, min: FloatArray, max: FloatArray): void {
    checkNorm.colMinMax(rows, cols, x, min, max);
    refNorm.colMinMax(rows, cols, x, min, max);
  }

  colMeanVar(rows: number, cols: number, x: FloatArray, mean: FloatArray, variance: FloatArray): void {
    checkNorm.colMeanVar(rows, cols, x, mean, variance);
    refNorm.colMeanVar(rows, cols, x, mean, variance);
  }

  colAffine(rows: number, cols: number, x: FloatArray, shift: FloatArray, scale: FloatArray, out: FloatArray): void {
    checkNorm.colAffine(rows, cols, x, shift, scale, out);
    refNorm.colAffine(rows, cols, x, shift, scale, out);
  }

  colAffineInverse(rows: number, cols: number, x: FloatArray, shift: FloatArray, scale: FloatArray,
    out: FloatArray): void {
    checkNorm.colAffineInverse(rows, cols, x, shift, scale, out);
    refNorm.colAffineInverse(rows, cols, x, shift, scale, out);
  }

  batchNormForwardTraining(rows: number, cols: number, x: FloatArray, gamma: FloatArray, beta: FloatArray,
    eps: number, momentum: number, runningMean: FloatArray, runningVar: FloatArray, out: FloatArray,
    saveMean: FloatArray, saveInvstd: FloatArray): void {
    checkNorm.batchNormForwardTraining(rows, cols, x, gamma, beta, eps, momentum, runningMean, runningVar, out,
      saveMean, saveInvstd);
    refNorm.batchNormForwardTraining(rows, cols, x, gamma, beta, eps, momentum, runningMean, runningVar, out,
      saveMean, saveInvstd);
  }

  batchNormForwardInference(rows: number, cols: number, x: FloatArray, gamma: FloatArray, beta: FloatArray,
    eps: number, runningMean: FloatArray, runningVar: FloatArray, out: FloatArray): void {
    checkNorm.batchNormForwardInference(rows, cols, x, gamma, beta, eps, runningMean, runningVar, out);
    refNorm.batchNormForwardInference(rows, cols, x, gamma, beta, eps, runningMean, runningVar, out);
  }

  batchNormBackward(rows: number, cols: number, x: FloatArray, dy: FloatArray, gamma: FloatArray,
    saveMean: FloatArray, saveInvstd: FloatArray, dx: FloatArray, dgamma: FloatArray, dbeta: FloatArray,
    accumulate: boolean): void {
    checkNorm.batchNormBackward(rows, cols, x, dy, gamma, saveMean, saveInvstd, dx, dgamma, dbeta, accumulate);
    refNorm.batchNormBackward(rows, cols, x, dy, gamma, saveMean, saveInvstd, dx, dgamma, dbeta, accumulate);
  }

  // ---- end of the norm family ----

  // ---- optimizer update steps (issue 5): kernels_optim.ts ----
  // Formulas and sources: reference_optim.ts.

  sgdStep(params: FloatArray[], grads: FloatArray[], momentumBufs: FloatArray[] | null, h: SgdHyper): void {
    checkOptim.sgdStep(params, grads, momentumBufs, h);
    refOptim.sgdStep(params, grads, momentumBufs, h);
  }

  adagradStep(params: FloatArray[], grads: FloatArray[], sums: FloatArray[], h: AdagradHyper): void {
    checkOptim.adagradStep(params, grads, sums, h);
    refOptim.adagradStep(params, grads, sums, h);
  }

  rmspropStep(params: FloatArray[], grads: FloatArray[], squareAvgs: FloatArray[], gradAvgs: FloatArray[] | null,
    momentumBufs: FloatArray[] | null, h: RmspropHyper): void {
    checkOptim.rmspropStep(params, grads, squareAvgs, gradAvgs, momentumBufs, h);
    refOptim.rmspropStep(params, grads, squareAvgs, gradAvgs, momentumBufs, h);
  }

  adamStep(params: FloatArray[], grads: FloatArray[], expAvgs: FloatArray[], expAvgSqs: FloatArray[],
    maxExpAvgSqs: FloatArray[] | null, h: AdamHyper): void {
    checkOptim.adamStep(params, grads, expAvgs, expAvgSqs, maxExpAvgSqs, h);
    refOptim.adamStep(params, grads, expAvgs, expAvgSqs, maxExpAvgSqs, h);
  }

  // ---- end of the optim family ----
}

/** The process-wide reference backend (stateless; always available). */
export const reference = new ReferenceBackend();

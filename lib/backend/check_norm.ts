// Argument validators for the norm kernel family (kernels_norm.ts); both backends call them first.
// Contract: same parameters as the kernel; TypeError for wrong types, RangeError for bad sizes, short
// arrays, non-finite or out-of-range hyperparameters and forbidden overlap, each message naming kernel,
// argument, expected and actual value. Not here: NaN/Inf inside arrays (data, not errors).
import type { FloatArray } from './backend';
import type { NormKernels } from './kernels_norm';
import {
  checkBool, checkDim, checkDisjoint, checkFinite, checkFloatArray, checkLength, checkSameOrDisjoint,
} from './check';

/** rows, cols and the input matrix x (length ≥ rows·cols); returns rows·cols. */
function checkMatrixArg(kernel: string, rows: number, cols: number, name: string, x: FloatArray): number {
  checkDim(kernel, 'rows', rows);
  checkDim(kernel, 'cols', cols);
  checkFloatArray(kernel, name, x);
  const size = rows * cols;
  checkLength(kernel, name, x, size, 'rows*cols');
  return size;
}

/** A per-column vector (length ≥ cols). */
function checkColVector(kernel: string, name: string, v: FloatArray, cols: number): void {
  checkFloatArray(kernel, name, v);
  checkLength(kernel, name, v, cols, 'cols');
}

/** Per-column outputs must not overlap the matrix they summarize or each other. */
function checkOutputsDisjoint(kernel: string, size: number, cols: number, x: FloatArray, xName: string,
  outs: [string, FloatArray][]): void {
  for (let i = 0; i < outs.length; i++) {
    const [name, v] = outs[i]!;
    checkDisjoint(kernel, name, v, cols, xName, x, size);
    for (let k = i + 1; k < outs.length; k++) {
      const [other, w] = outs[k]!;
      checkDisjoint(kernel, name, v, cols, other, w, cols);
    }
  }
}

function colStats(kernel: string, rows: number, cols: number, x: FloatArray,
  aName: string, a: FloatArray, bName: string, b: FloatArray): void {
  const size = checkMatrixArg(kernel, rows, cols, 'x', x);
  checkColVector(kernel, aName, a, cols);
  checkColVector(kernel, bName, b, cols);
  checkOutputsDisjoint(kernel, size, cols, x, 'x', [[aName, a], [bName, b]]);
}

export function colMinMax(rows: number, cols: number, x: FloatArray, min: FloatArray, max: FloatArray): void {
  colStats('colMinMax', rows, cols, x, 'min', min, 'max', max);
}

export function colMeanVar(rows: number, cols: number, x: FloatArray, mean: FloatArray, variance: FloatArray): void {
  colStats('colMeanVar', rows, cols, x, 'mean', mean, 'variance', variance);
}

/**
 * x (rows×cols), two per-column parameter vectors and out: out may be exactly x, and writing out must
 * not change the parameters (they are re-read for every row). Returns rows·cols.
 */
function checkColumnMap(kernel: string, rows: number, cols: number, x: FloatArray, pa: string, a: FloatArray,
  pb: string, b: FloatArray, out: FloatArray): number {
  const size = checkMatrixArg(kernel, rows, cols, 'x', x);
  checkColVector(kernel, pa, a, cols);
  checkColVector(kernel, pb, b, cols);
  checkFloatArray(kernel, 'out', out);
  checkLength(kernel, 'out', out, size, 'rows*cols');
  checkSameOrDisjoint(kernel, 'out', out, size, 'x', x, size);
  const used = rows > 0 ? cols : 0;
  checkDisjoint(kernel, 'out', out, size, pa, a, used);
  checkDisjoint(kernel, 'out', out, size, pb, b, used);
  return size;
}

function affine(kernel: string, rows: number, cols: number, x: FloatArray, shift: FloatArray, scale: FloatArray,
  out: FloatArray): void {
  checkColumnMap(kernel, rows, cols, x, 'shift', shift, 'scale', scale, out);
}

export function colAffine(rows: number, cols: number, x: FloatArray, shift: FloatArray, scale: FloatArray,
  out: FloatArray): void {
  affine('colAffine', rows, cols, x, shift, scale, out);
}

export function colAffineInverse(rows: number, cols: number, x: FloatArray, shift: FloatArray, scale: FloatArray,
  out: FloatArray): void {
  affine('colAffineInverse', rows, cols, x, shift, scale, out);
}

/** eps > 0 and finite: it keeps 1/√(σ² + eps) finite for constant columns. */
function checkEps(kernel: string, eps: number): void {
  checkFinite(kernel, 'eps', eps);
  if (!(eps > 0)) throw new RangeError(`${kernel}: eps must be > 0, got ${eps}`);
}

/** The normalized matrix: x, gamma, beta, eps, out (out may be x, parameters disjoint from out). */
function bnForwardCommon(kernel: string, rows: number, cols: number, x: FloatArray, gamma: FloatArray,
  beta: FloatArray, eps: number, out: FloatArray): number {
  const size = checkColumnMap(kernel, rows, cols, x, 'gamma', gamma, 'beta', beta, out);
  checkEps(kernel, eps);
  return size;
}

export function batchNormForwardTraining(rows: number, cols: number, x: FloatArray, gamma: FloatArray,
  beta: FloatArray, eps: number, momentum: number, runningMean: FloatArray, runningVar: FloatArray,
  out: FloatArray, saveMean: FloatArray, saveInvstd: FloatArray): void {
  const kernel = 'batchNormForwardTraining';
  const size = bnForwardCommon(kernel, rows, cols, x, gamma, beta, eps, out);
  if (rows < 2 && cols > 0) {
    // PyTorch: "Expected more than 1 value per channel when training"; the unbiased variance needs n ≥ 2.
    throw new RangeError(`${kernel}: rows must be >= 2 in training mode (unbiased running variance), got ${rows}`);
  }
  checkFinite(kernel, 'momentum', momentum);
  if (momentum < 0 || momentum > 1) throw new RangeError(`${kernel}: momentum must be in [0, 1], got ${momentum}`);
  for (const [name, v] of [['runningMean', runningMean], ['runningVar', runningVar], ['saveMean', saveMean],
    ['saveInvstd', saveInvstd]] as [string, FloatArray][]) checkColVector(kernel, name, v, cols);
  checkOutputsDisjoint(kernel, size, cols, x, 'x', [['runningMean', runningMean], ['runningVar', runningVar],
    ['saveMean', saveMean], ['saveInvstd', saveInvstd], ['gamma', gamma], ['beta', beta]]);
  for (const [name, v] of [['runningMean', runningMean], ['runningVar', runningVar], ['saveMean', saveMean],
    ['saveInvstd', saveInvstd]] as [string, FloatArray][]) checkDisjoint(kernel, name, v, cols, 'out', out, size);
}

export function batchNormForwardInference(rows: number, cols: number, x: FloatArray, gamma: FloatArray,
  beta: FloatArray, eps: number, runningMean: FloatArray, runningVar: FloatArray, out: FloatArray): void {
  const kernel = 'batchNormForwardInference';
  const size = bnForwardCommon(kernel, rows, cols, x, gamma, beta, eps, out);
  checkColVector(kernel, 'runningMean', runningMean, cols);
  checkColVector(kernel, 'runningVar', runningVar, cols);
  const used = rows > 0 ? cols : 0;
  checkDisjoint(kernel, 'out', out, size, 'runningMean', runningMean, used);
  checkDisjoint(kernel, 'out', out, size, 'runningVar', runningVar, used);
}

export function batchNormBackward(rows: number, cols: number, x: FloatArray, dy: FloatArray, gamma: FloatArray,
  saveMean: FloatArray, saveInvstd: FloatArray, dx: FloatArray, dgamma: FloatArray, dbeta: FloatArray,
  accumulate: boolean): void {
  const kernel = 'batchNormBackward';
  const size = checkMatrixArg(kernel, rows, cols, 'x', x);
  checkFloatArray(kernel, 'dy', dy);
  checkLength(kernel, 'dy', dy, size, 'rows*cols');
  checkFloatArray(kernel, 'dx', dx);
  checkLength(kernel, 'dx', dx, size, 'rows*cols');
  for (const [name, v] of [['gamma', gamma], ['saveMean', saveMean], ['saveInvstd', saveInvstd],
    ['dgamma', dgamma], ['dbeta', dbeta]] as [string, FloatArray][]) checkColVector(kernel, name, v, cols);
  checkBool(kernel, 'accumulate', accumulate);
  // dx is written after the column sums are complete, element by element from dy: exact aliasing is fine.
  checkSameOrDisjoint(kernel, 'dx', dx, size, 'dy', dy, size);
  checkDisjoint(kernel, 'dx', dx, size, 'x', x, size);
  const used = rows > 0 ? cols : 0;
  for (const [name, v] of [['gamma', gamma], ['saveMean', saveMean], ['saveInvstd', saveInvstd]] as
    [string, FloatArray][]) checkDisjoint(kernel, 'dx', dx, size, name, v, used);
  checkOutputsDisjoint(kernel, size, cols, x, 'x', [['dgamma', dgamma], ['dbeta', dbeta]]);
  checkOutputsDisjoint(kernel, size, cols, dy, 'dy', [['dgamma', dgamma], ['dbeta', dbeta]]);
  checkOutputsDisjoint(kernel, size, cols, dx, 'dx', [['dgamma', dgamma], ['dbeta', dbeta]]);
}

/** The validators above, typed against the family interface so signatures stay in step. */
export const normChecks: Pick<NormKernels, keyof NormKernels> = {
  colMinMax, colMeanVar, colAffine, colAffineInverse, batchNormForwardTraining, batchNormForwardInference,
  batchNormBackward,
};

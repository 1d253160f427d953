// The native backend: validates every call in TypeScript (check.ts, cheap and with messages that
// name the argument), insists on Float32Array, and hands the caller's memory to the addon: nothing
// is copied. The addon re-checks what guards memory.
import type { Activation, Backend, FloatArray } from './backend';
import type { RawBinding } from './binding';
import * as check from './check';
import { gemmBiasActUnchecked, gemmUnchecked } from './reference';

/**
 * GEMMs with m·n·k at or below this run on the reference (TypeScript) kernel: crossing into C++ costs
 * about 0.3 µs, more than a 4×4×4 product takes in JavaScript (measured here: 4³ 0.24 µs in TS vs
 * 0.34 µs native; 8³ 0.93 µs vs 0.37 µs). Results differ only by float32 rounding (the reference
 * accumulates in float64).
 */
export const SMALL_GEMM_MNK = 128;
import * as checkNorm from './check_norm';
import * as checkOptim from './check_optim';
import { OPT_FLAGS } from './binding_optim';
import type { AdagradHyper, AdamHyper, RmspropHyper, SgdHyper } from './kernels_optim';

const ACT_CODE: Record<Activation, number> = { none: 0, relu: 1, leakyRelu: 2, sigmoid: 3, tanh: 4, gelu: 5 };

function f32(kernel: string, name: string, v: FloatArray): Float32Array {
  if (!(v instanceof Float32Array)) {
    throw new TypeError(`${kernel}: ${name} must be a Float32Array for the native backend, got ${v.constructor.name}` +
      ' (use the reference backend for float64)');
  }
  return v;
}

/** Every array of a list must be a Float32Array (validated lists are returned as they are). */
function f32List(kernel: string, name: string, list: FloatArray[]): Float32Array[] {
  // The element's name is built only on failure: this runs on every optimizer step.
  for (let i = 0; i < list.length; i++) if (!(list[i] instanceof Float32Array)) f32(kernel, `${name}[${i}]`, list[i]!);
  return list as Float32Array[];
}

// The optim binding's hyperparameters (binding_optim.ts): one array per thread, filled for each call.
const HYPER = new Float64Array(9);
function hyper(lr: number, wd: number, decay: number, b1: number, c1: number, b2: number, c2: number, eps: number,
  bc2Sqrt: number): Float64Array {
  HYPER[0] = lr; HYPER[1] = wd; HYPER[2] = decay; HYPER[3] = b1; HYPER[4] = c1;
  HYPER[5] = b2; HYPER[6] = c2; HYPER[7] = eps; HYPER[8] = bc2Sqrt;
  return HYPER;
}

export class NativeBackend implements Backend {
  readonly name = 'native' as const;
  constructor(readonly binding: RawBinding) {}

  get isa(): string {
    return this.binding.currentIsa();
  }

  sgemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: FloatArray, lda: number, b: FloatArray, ldb: number, beta: number, c: FloatArray, ldc: number): void {
    check.sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    if (m * n * k <= SMALL_GEMM_MNK) {
      gemmUnchecked(transA, transB, m, n, k, alpha, f32('sgemm', 'a', a), lda, f32('sgemm', 'b', b), ldb, beta, f32('sgemm', 'c', c), ldc);
      return;
    }
    this.binding.sgemm(transA, transB, m, n, k, alpha, f32('sgemm', 'a', a), lda, f32('sgemm', 'b', b), ldb,
      beta, f32('sgemm', 'c', c), ldc);
  }

  sgemmBiasAct(transA: boolean, transB: boolean, m: number, n: number, k: number, a: FloatArray, lda: number,
    b: FloatArray, ldb: number, bias: FloatArray | null, act: Activation, actParam: number, c: FloatArray, ldc: number): void {
    check.sgemmBiasAct(transA, transB, m, n, k, a, lda, b, ldb, bias, act, actParam, c, ldc);
    const k0 = 'sgemmBiasAct';
    if (m * n * k <= SMALL_GEMM_MNK) {
      gemmBiasActUnchecked(transA, transB, m, n, k, f32(k0, 'a', a), lda, f32(k0, 'b', b), ldb,
        bias === null ? null : f32(k0, 'bias', bias), act, actParam, f32(k0, 'c', c), ldc);
      return;
    }
    this.binding.sgemmBiasAct(transA, transB, m, n, k, f32(k0, 'a', a), lda, f32(k0, 'b', b), ldb,
      bias === null ? null : f32(k0, 'bias', bias), ACT_CODE[act], actParam, f32(k0, 'c', c), ldc);
  }

  axpy(n: number, alpha: number, x: FloatArray, y: FloatArray): void {
    check.axpy(n, alpha, x, y);
    this.binding.axpy(n, alpha, f32('axpy', 'x', x), f32('axpy', 'y', y));
  }

  scale(n: number, alpha: number, x: FloatArray, out: FloatArray): void {
    check.scale(n, alpha, x, out);
    this.binding.scale(n, alpha, f32('scale', 'x', x), f32('scale', 'out', out));
  }

  add(n: number, a: FloatArray, b: FloatArray, out: FloatArray): void {
    check.add(n, a, b, out);
    this.binding.add(n, f32('add', 'a', a), f32('add', 'b', b), f32('add', 'out', out));
  }

  mul(n: number, a: FloatArray, b: FloatArray, out: FloatArray): void {
    check.mul(n, a, b, out);
    this.binding.mul(n, f32('mul', 'a', a), f32('mul', 'b', b), f32('mul', 'out', out));
  }

  biasAdd(rows: number, cols: number, x: FloatArray, bias: FloatArray, out: FloatArray): void {
    check.biasAdd(rows, cols, x, bias, out);
    this.binding.biasAdd(rows, cols, f32('biasAdd', 'x', x), f32('biasAdd', 'bias', bias), f32('biasAdd', 'out', out));
  }

  colSum(rows: number, cols: number, alpha: number, x: FloatArray, beta: number, out: FloatArray): void {
    check.colSum(rows, cols, alpha, x, beta, out);
    this.binding.colSum(rows, cols, alpha, f32('colSum', 'x', x), beta, f32('colSum', 'out', out));
  }

  activationForward(act: Activation, actParam: number, n: number, x: FloatArray, out: FloatArray): void {
    check.activationForward(act, actParam, n, x, out);
    const k0 = 'activationForward';
    this.binding.activationForward(ACT_CODE[act], actParam, n, f32(k0, 'x', x), f32(k0, 'out', out));
  }

  activationBackward(act: Activation, actParam: number, n: number, x: FloatArray | null, y: FloatArray | null,
    dy: FloatArray, dx: FloatArray): void {
    check.activationBackward(act, actParam, n, x, y, dy, dx);
    const k0 = 'activationBackward';
    this.binding.activationBackward(ACT_CODE[act], actParam, n, x === null ? null : f32(k0, 'x', x),
      y === null ? null : f32(k0, 'y', y), f32(k0, 'dy', dy), f32(k0, 'dx', dx));
  }

  // ---- feature scaling, column statistics, batch norm (issue 4): kernels_norm.ts ----
  // Each method validates (check_norm.ts), then passes the caller's float32 memory to the addon.

  colMinMax(rows: number, cols: number, x: FloatArray, min: FloatArray, max: FloatArray): void {
    checkNorm.colMinMax(rows, cols, x, min, max);
    const k = 'colMinMax';
    this.binding.colMinMax(rows, cols, f32(k, 'x', x), f32(k, 'min', min), f32(k, 'max', max));
  }

  colMeanVar(rows: number, cols: number, x: FloatArray, mean: FloatArray, variance: FloatArray): void {
    checkNorm.colMeanVar(rows, cols, x, mean, variance);
    const k = 'colMeanVar';
    this.binding.colMeanVar(rows, cols, f32(k, 'x', x), f32(k, 'mean', mean), f32(k, 'variance', variance));
  }

  colAffine(rows: number, cols: number, x: FloatArray, shift: FloatArray, scale: FloatArray, out: FloatArray): void {
    checkNorm.colAffine(rows, cols, x, shift, scale, out);
    const k = 'colAffine';
    this.binding.colAffine(rows, cols, f32(k, 'x', x), f32(k, 'shift', shift), f32(k, 'scale', scale),
      f32(k, 'out', out));
  }

  colAffineInverse(rows: number, cols: number, x: FloatArray, shift: FloatArray, scale: FloatArray,
    out: FloatArray): void {
    checkNorm.colAffineInverse(rows, cols, x, shift, scale, out);
    const k = 'colAffineInverse';
    this.binding.colAffineInverse(rows, cols, f32(k, 'x', x), f32(k, 'shift', shift), f32(k, 'scale', scale),
      f32(k, 'out', out));
  }

  batchNormForwardTraining(rows: number, cols: number, x: FloatArray, gamma: FloatArray, beta: FloatArray,
    eps: number, momentum: number, runningMean: FloatArray, runningVar: FloatArray, out: FloatArray,
    saveMean: FloatArray, saveInvstd: FloatArray): void {
    checkNorm.batchNormForwardTraining(rows, cols, x, gamma, beta, eps, momentum, runningMean, runningVar, out,
      saveMean, saveInvstd);
    const k = 'batchNormForwardTraining';
    this.binding.batchNormForwardTraining(rows, cols, f32(k, 'x', x), f32(k, 'gamma', gamma), f32(k, 'beta', beta),
      eps, momentum, f32(k, 'runningMean', runningMean), f32(k, 'runningVar', runningVar), f32(k, 'out', out),
      f32(k, 'saveMean', saveMean), f32(k, 'saveInvstd', saveInvstd));
  }

  batchNormForwardInference(rows: number, cols: number, x: FloatArray, gamma: FloatArray, beta: FloatArray,
    eps: number, runningMean: FloatArray, runningVar: FloatArray, out: FloatArray): void {
    checkNorm.batchNormForwardInference(rows, cols, x, gamma, beta, eps, runningMean, runningVar, out);
    const k = 'batchNormForwardInference';
    this.binding.batchNormForwardInference(rows, cols, f32(k, 'x', x), f32(k, 'gamma', gamma), f32(k, 'beta', beta),
      eps, f32(k, 'runningMean', runningMean), f32(k, 'runningVar', runningVar), f32(k, 'out', out));
  }

  batchNormBackward(rows: number, cols: number, x: FloatArray, dy: FloatArray, gamma: FloatArray,
    saveMean: FloatArray, saveInvstd: FloatArray, dx: FloatArray, dgamma: FloatArray, dbeta: FloatArray,
    accumulate: boolean): void {
    checkNorm.batchNormBackward(rows, cols, x, dy, gamma, saveMean, saveInvstd, dx, dgamma, dbeta, accumulate);
    const k = 'batchNormBackward';
    this.binding.batchNormBackward(rows, cols, f32(k, 'x', x), f32(k, 'dy', dy), f32(k, 'gamma', gamma),
      f32(k, 'saveMean', saveMean), f32(k, 'saveInvstd', saveInvstd), f32(k, 'dx', dx), f32(k, 'dgamma', dgamma),
      f32(k, 'dbeta', dbeta), accumulate);
  }

  // ---- end of the norm family ----

  // ---- optimizer update steps (issue 5): kernels_optim.ts ----
  // One binding call per list; the hyperparameters map onto OptimHyper (native/optim/optim_kernels.h).

  sgdStep(params: FloatArray[], grads: FloatArray[], momentumBufs: FloatArray[] | null, h: SgdHyper): void {
    checkOptim.sgdStep(params, grads, momentumBufs, h);
    const k = 'sgdStep', mom = h.momentum !== 0;
    const flags = (mom ? OPT_FLAGS.momentum : 0) | (h.nesterov ? OPT_FLAGS.nesterov : 0) |
      (h.firstStep ? OPT_FLAGS.first : 0);
    this.binding.sgdStep(f32List(k, 'params', params), f32List(k, 'grads', grads),
      mom ? f32List(k, 'momentumBufs', momentumBufs!) : null, null, null,
      hyper(h.lr, h.weightDecay, 1, h.momentum, h.gradScale, 0, 0, 0, 1), flags);
  }

  adagradStep(params: FloatArray[], grads: FloatArray[], sums: FloatArray[], h: AdagradHyper): void {
    checkOptim.adagradStep(params, grads, sums, h);
    const k = 'adagradStep';
    this.binding.adagradStep(f32List(k, 'params', params), f32List(k, 'grads', grads), f32List(k, 'sums', sums),
      null, null, hyper(h.clr, h.weightDecay, 1, 0, 0, 0, 0, h.eps, 1), 0);
  }

  rmspropStep(params: FloatArray[], grads: FloatArray[], squareAvgs: FloatArray[], gradAvgs: FloatArray[] | null,
    momentumBufs: FloatArray[] | null, h: RmspropHyper): void {
    checkOptim.rmspropStep(params, grads, squareAvgs, gradAvgs, momentumBufs, h);
    const k = 'rmspropStep', mom = h.momentum > 0;
    const flags = (mom ? OPT_FLAGS.momentum : 0) | (h.centered ? OPT_FLAGS.centered : 0);
    this.binding.rmspropStep(f32List(k, 'params', params), f32List(k, 'grads', grads),
      f32List(k, 'squareAvgs', squareAvgs), h.centered ? f32List(k, 'gradAvgs', gradAvgs!) : null,
      mom ? f32List(k, 'momentumBufs', momentumBufs!) : null,
      hyper(h.lr, h.weightDecay, 1, h.alpha, 1 - h.alpha, h.momentum, 0, h.eps, 1), flags);
  }

  adamStep(params: FloatArray[], grads: FloatArray[], expAvgs: FloatArray[], expAvgSqs: FloatArray[],
    maxExpAvgSqs: FloatArray[] | null, h: AdamHyper): void {
    checkOptim.adamStep(params, grads, expAvgs, expAvgSqs, maxExpAvgSqs, h);
    const k = 'adamStep';
    this.binding.adamStep(f32List(k, 'params', params), f32List(k, 'grads', grads), f32List(k, 'expAvgs', expAvgs),
      f32List(k, 'expAvgSqs', expAvgSqs), h.amsgrad ? f32List(k, 'maxExpAvgSqs', maxExpAvgSqs!) : null,
      hyper(h.stepSize, h.weightDecay, h.decay, h.beta1, 1 - h.beta1, h.beta2, 1 - h.beta2, h.eps, h.bc2Sqrt),
      h.amsgrad ? OPT_FLAGS.amsgrad : 0);
  }

  // ---- end of the optim family ----
}

// The one kernel interface every backend implements (DESIGN.md "Backend interface").
// Synchronous, destination-passing, never allocates. Layers, losses and optimizers call this
// interface and never know which backend runs. Arrays are row-major; dimensions are explicit.
// Not here: validation (check.ts) and selection (select.ts). Kernel families added by later issues
// live in kernels_<family>.ts and are merged into Backend below.
import type { NormKernels } from './kernels_norm';
import type { OptimKernels } from './kernels_optim';

/** A dense float buffer. The reference backend takes either; the native one only Float32Array. */
export type FloatArray = Float32Array | Float64Array;

/** Activations fused into sgemmBiasAct and available as forward/backward kernels. */
export type Activation = 'none' | 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh' | 'gelu';

export const ACTIVATIONS: readonly Activation[] = ['none', 'relu', 'leakyRelu', 'sigmoid', 'tanh', 'gelu'];

export interface Backend extends NormKernels, OptimKernels {
  /** 'native' or 'reference'. */
  readonly name: 'native' | 'reference';
  /** The instruction set the kernels run on: 'scalar' | 'avx2' | 'avx512' | 'neon' for native, 'js' for reference. */
  readonly isa: string;

  /**
   * C ← α·op(A)·op(B) + β·C, row-major, BLAS semantics.
   * op(A) is m×k (A is k×m when transA), op(B) is k×n (B is n×k when transB), C is m×n.
   * lda/ldb/ldc are row strides of the stored matrices (≥ their column counts).
   * β = 0: C is not read (NaN in C does not propagate). α = 0: A and B are not read. k = 0: C ← β·C.
   */
  sgemm(transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: FloatArray, lda: number, b: FloatArray, ldb: number,
    beta: number, c: FloatArray, ldc: number): void;

  /**
   * C ← act(op(A)·op(B) + bias), bias broadcast over rows (length n) or null. C is not read.
   * actParam is the negative slope for 'leakyRelu' and ignored otherwise.
   */
  sgemmBiasAct(transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: FloatArray, lda: number, b: FloatArray, ldb: number,
    bias: FloatArray | null, act: Activation, actParam: number, c: FloatArray, ldc: number): void;

  /** y ← α·x + y over the first n elements. */
  axpy(n: number, alpha: number, x: FloatArray, y: FloatArray): void;
  /** out ← α·x over the first n elements (out may be x). */
  scale(n: number, alpha: number, x: FloatArray, out: FloatArray): void;
  /** out ← a + b elementwise (out may alias a or b). */
  add(n: number, a: FloatArray, b: FloatArray, out: FloatArray): void;
  /** out ← a ⊙ b elementwise (out may alias a or b). */
  mul(n: number, a: FloatArray, b: FloatArray, out: FloatArray): void;
  /** out[i,j] ← x[i,j] + bias[j] for a rows×cols matrix (out may be x). */
  biasAdd(rows: number, cols: number, x: FloatArray, bias: FloatArray, out: FloatArray): void;
  /** out[j] ← α·Σ_i x[i,j] + β·out[j] for a rows×cols matrix; β = 0 does not read out. */
  colSum(rows: number, cols: number, alpha: number, x: FloatArray, beta: number, out: FloatArray): void;

  /** out ← act(x) elementwise over n elements (out may be x). */
  activationForward(act: Activation, actParam: number, n: number, x: FloatArray, out: FloatArray): void;
  /**
   * dx ← dy ⊙ act'(x) elementwise. `x` is the activation's input and `y` its output; relu, leakyRelu,
   * sigmoid and tanh read y (x may be null), gelu reads x (y may be null), none reads neither.
   * dx may alias dy.
   */
  activationBackward(act: Activation, actParam: number, n: number,
    x: FloatArray | null, y: FloatArray | null, dy: FloatArray, dx: FloatArray): void;
}

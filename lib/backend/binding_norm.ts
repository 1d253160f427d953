// The addon's raw entry points for the norm kernel family (native/norm/binding_norm.cc). Same argument
// order as kernels_norm.ts, float32 only; validated again in C++ for memory safety only.
export interface RawNormBinding {
  colMinMax(rows: number, cols: number, x: Float32Array, min: Float32Array, max: Float32Array): void;
  colMeanVar(rows: number, cols: number, x: Float32Array, mean: Float32Array, variance: Float32Array): void;
  colAffine(rows: number, cols: number, x: Float32Array, shift: Float32Array, scale: Float32Array,
    out: Float32Array): void;
  colAffineInverse(rows: number, cols: number, x: Float32Array, shift: Float32Array, scale: Float32Array,
    out: Float32Array): void;
  batchNormForwardTraining(rows: number, cols: number, x: Float32Array, gamma: Float32Array, beta: Float32Array,
    eps: number, momentum: number, runningMean: Float32Array, runningVar: Float32Array, out: Float32Array,
    saveMean: Float32Array, saveInvstd: Float32Array): void;
  batchNormForwardInference(rows: number, cols: number, x: Float32Array, gamma: Float32Array, beta: Float32Array,
    eps: number, runningMean: Float32Array, runningVar: Float32Array, out: Float32Array): void;
  batchNormBackward(rows: number, cols: number, x: Float32Array, dy: Float32Array, gamma: Float32Array,
    saveMean: Float32Array, saveInvstd: Float32Array, dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array,
    accumulate: boolean): void;
}

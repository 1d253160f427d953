// Dropout (inverted, training only, seeded by the model's Rng; Keras layers.Dropout), Flatten (a view),
// and BatchNorm over the last axis on the norm kernels with PyTorch's conventions (momentum 0.1 weights
// the new batch, eps 1e-5, unbiased running variance). A frozen BatchNorm (trainable = false) runs in
// inference mode, as Keras. Not here: spatial dropout, other normalizations.
import type { FloatArray } from '../backend/backend';
import { checkKeys, checkNonNegative, checkNumber, checkUnitInterval } from '../optim/options';
import { Parameter } from '../optim/parameter';
import { Tensor } from '../tensor';
import { LAYER_KEYS, Layer, type LayerContext, type LayerOptions } from './layer';

/** Dropout(rate): in training y = x·m/(1 − rate), m ~ Bernoulli(1 − rate) per element; identity in inference. */
export class Dropout extends Layer {
  readonly rate: number;
  /** When true, training forwards reuse the last mask (gradCheck's fixed mask). */
  reuseNoise = false;
  private mask: FloatArray | null = null;
  private active = false;

  constructor(rate: number, options: LayerOptions = {}) {
    super('Dropout', checkKeys('Dropout', options, LAYER_KEYS) as LayerOptions);
    this.rate = checkUnitInterval('Dropout', 'rate', rate);
  }
  computeOutputShape(s: readonly number[]): readonly number[] { return s; }
  forward(x: FloatArray, n: number, ctx: LayerContext): FloatArray {
    this.active = ctx.training && this.rate > 0;
    if (!this.active) return x;
    const size = n * this.inputSize, m = this.buffer('mask', n, size), y = this.buffer('y', n, size);
    if (!this.reuseNoise || this.mask !== m) {
      const keep = 1 / (1 - this.rate);
      for (let i = 0; i < size; i++) m[i] = ctx.rng.random() >= this.rate ? keep : 0;
    }
    this.mask = m;
    ctx.be.mul(size, x, m, y);
    return y;
  }
  backward(dy: FloatArray, n: number, ctx: LayerContext, needInputGrad: boolean): FloatArray | null {
    if (!needInputGrad) return null;
    if (!this.active) return dy;
    const size = n * this.inputSize, dx = this.buffer('dx', n, size);
    ctx.be.mul(size, dy, this.mask!, dx);
    return dx;
  }
  getConfig(): Record<string, unknown> { return { rate: this.rate }; }
}

/** Flatten: [n, d1, d2, …] → [n, d1·d2·…]; the data are shared (row-major), nothing is copied. */
export class Flatten extends Layer {
  constructor(options: LayerOptions = {}) { super('Flatten', checkKeys('Flatten', options, LAYER_KEYS) as LayerOptions); }
  computeOutputShape(s: readonly number[]): readonly number[] { return [s.reduce((a, b) => a * b, 1)]; }
  forward(x: FloatArray): FloatArray { return x; }
  backward(dy: FloatArray, _n: number, _ctx: LayerContext, needInputGrad: boolean): FloatArray | null {
    return needInputGrad ? dy : null;
  }
  getConfig(): Record<string, unknown> { return {}; }
}

export interface BatchNormOptions extends LayerOptions { momentum?: number; eps?: number; center?: boolean; scale?: boolean }

/**
 * BatchNorm over the last axis (torch.nn.BatchNorm1d semantics): training y = (x − μ_B)/√(σ²_B + eps)·γ + β
 * with running statistics updated as r ← (1 − momentum)·r + momentum·stat (variance unbiased);
 * inference uses the running statistics. center/scale false freeze β = 0 / γ = 1 (Keras).
 */
export class BatchNorm extends Layer {
  readonly momentum: number;
  readonly eps: number;
  readonly center: boolean;
  readonly scale: boolean;
  gamma!: Parameter;
  beta!: Parameter;
  runningMean!: FloatArray;
  runningVar!: FloatArray;
  private x: FloatArray | null = null;
  private trainingPass = false;

  constructor(options: BatchNormOptions = {}) {
    super('BatchNorm', checkKeys('BatchNorm', options, [...LAYER_KEYS, 'momentum', 'eps', 'center', 'scale']) as LayerOptions);
    this.momentum = checkNumber('BatchNorm', 'momentum', options.momentum ?? 0.1);
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new RangeError(`BatchNorm: momentum must be in [0, 1], got ${this.momentum}`);
    this.eps = checkNonNegative('BatchNorm', 'eps', options.eps ?? 1e-5);
    this.center = options.center ?? true;
    this.scale = options.scale ?? true;
  }
  computeOutputShape(s: readonly number[]): readonly number[] { return s; }
  protected initWeights(): void {
    const c = this.cols();
    this.gamma = this.addWeight(new Parameter(Tensor.ones([c], this.dtype), { name: 'gamma', trainable: this.scale }));
    this.beta = this.addWeight(new Parameter(Tensor.zeros([c], this.dtype), { name: 'beta', trainable: this.center }));
    this.runningMean = this.dtype === 'float64' ? new Float64Array(c) : new Float32Array(c);
    this.runningVar = (this.dtype === 'float64' ? new Float64Array(c) : new Float32Array(c)).fill(1);
  }
  private cols(): number { return this.inputShape![this.inputShape!.length - 1]!; }
  stateArrays(): FloatArray[] { return [this.runningMean, this.runningVar]; }

  forward(x: FloatArray, n: number, ctx: LayerContext): FloatArray {
    const c = this.cols(), rows = n * this.inputSize / c, y = this.buffer('y', n, n * this.inputSize);
    this.x = x;
    this.trainingPass = ctx.training && this.trainable;
    if (this.trainingPass) {
      if (rows < 2) throw new RangeError(`BatchNorm: training needs more than 1 value per feature, got a batch of ${rows} row(s) (use batchSize >= 2)`);
      ctx.be.batchNormForwardTraining(rows, c, x, this.gamma.value.data, this.beta.value.data, this.eps, this.momentum,
        this.runningMean, this.runningVar, y, this.buffer('mean', 0, c), this.buffer('invstd', 0, c));
    } else {
      ctx.be.batchNormForwardInference(rows, c, x, this.gamma.value.data, this.beta.value.data, this.eps,
        this.runningMean, this.runningVar, y);
    }
    return y;
  }

  backward(dy: FloatArray, n: number, ctx: LayerContext, needInputGrad: boolean): FloatArray | null {
    const c = this.cols(), rows = n * this.inputSize / c, dx = this.buffer('dx', n, n * this.inputSize);
    if (this.trainingPass) {
      // The kernel accumulates dγ, dβ; a non-trainable γ or β gets its gradient in a scratch buffer.
      const dg = this.gamma.trainable ? this.gamma.grad.data : this.buffer('dgScratch', 0, c);
      const db = this.beta.trainable ? this.beta.grad.data : this.buffer('dbScratch', 0, c);
      ctx.be.batchNormBackward(rows, c, this.x!, dy, this.gamma.value.data, this.buffer('mean', 0, c),
        this.buffer('invstd', 0, c), dx, dg, db, true);
      return needInputGrad ? dx : null;
    }
    // Inference-mode (frozen) backward: y is affine in x, dx = dy·γ/√(runningVar + eps).
    if (!needInputGrad) return null;
    const g = this.gamma.value.data, v = this.runningVar;
    for (let i = 0; i < rows * c; i++) { const j = i % c; dx[i] = dy[i]! * g[j]! / Math.sqrt(v[j]! + this.eps); }
    return dx;
  }
  getConfig(): Record<string, unknown> { return { momentum: this.momentum, eps: this.eps, center: this.center, scale: this.scale }; }
}

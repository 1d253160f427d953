// Dense (Keras layers.Dense): y = act(x·W + b), kernel W of shape [inputDim, units] (no transpose), bias
// [units]. Forward is ONE sgemmBiasAct call when the activation is a fused kernel; backward is
// dW += xᵀ·dz (sgemm, β = 1), db += colSum(dz) (β = 1), dx = dz·Wᵀ (sgemm transB), plus the activation's
// backward when it is not linear. Regularizers follow Keras (penalty added to the loss; activity penalty
// divided by the batch size). Not here: inputs of rank > 2 (use Flatten first).
import type { FloatArray } from '../backend/backend';
import { checkInt, checkKeys } from '../optim/options';
import { Parameter } from '../optim/parameter';
import { Regularizer } from '../optim/regularizers';
import type { Rng } from '../rng';
import { Tensor } from '../tensor';
import { getActivation, type ActivationFn, type ActivationName } from './activations';
import { getInitializer, initializerConfig, type Initializer, type InitializerArg } from './initializers';
import { LAYER_KEYS, Layer, type LayerContext, type LayerOptions } from './layer';

export interface DenseOptions extends LayerOptions {
  activation?: ActivationName | 'none';
  /** Negative slope for 'leakyRelu' (default 0.3) or alpha for 'elu' (default 1). */
  alpha?: number;
  useBias?: boolean;
  kernelInitializer?: InitializerArg;
  biasInitializer?: InitializerArg;
  kernelRegularizer?: Regularizer | { l1: number; l2: number } | null;
  biasRegularizer?: Regularizer | { l1: number; l2: number } | null;
  activityRegularizer?: Regularizer | { l1: number; l2: number } | null;
}

const KEYS = [...LAYER_KEYS, 'activation', 'alpha', 'useBias', 'kernelInitializer', 'biasInitializer',
  'kernelRegularizer', 'biasRegularizer', 'activityRegularizer'];

/** A Regularizer from an instance or its getConfig() record (saved models). */
export function toRegularizer(where: string, v: unknown): Regularizer | null {
  if (v === undefined || v === null) return null;
  if (v instanceof Regularizer) return v;
  const o = v as { l1?: unknown; l2?: unknown };
  if (typeof o === 'object' && typeof o.l1 === 'number' && typeof o.l2 === 'number') return new Regularizer(o.l1, o.l2);
  throw new TypeError(`${where}: expected a Regularizer (regularizers.l1/l2/l1l2) or null`);
}

export class Dense extends Layer {
  readonly units: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  kernel!: Parameter;
  bias: Parameter | null = null;
  private x: FloatArray | null = null;
  private z: FloatArray | null = null;
  private y: FloatArray | null = null;
  private activityLoss = 0;

  constructor(units: number, options: DenseOptions = {}) {
    super('Dense', checkKeys('Dense', options, KEYS) as DenseOptions);
    this.units = checkInt('Dense', 'units', units, 1);
    this.activation = getActivation('Dense', options.activation, options.alpha);
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = getInitializer('Dense: kernelInitializer', options.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer('Dense: biasInitializer', options.biasInitializer ?? 'zeros');
    this.kernelRegularizer = toRegularizer('Dense: kernelRegularizer', options.kernelRegularizer);
    this.biasRegularizer = toRegularizer('Dense: biasRegularizer', options.biasRegularizer);
    this.activityRegularizer = toRegularizer('Dense: activityRegularizer', options.activityRegularizer);
  }

  computeOutputShape(inputShape: readonly number[]): readonly number[] {
    if (inputShape.length !== 1) throw new TypeError(`Dense: expects a per-sample input of rank 1, got shape [${inputShape.join(',')}] (add a Flatten layer)`);
    return [this.units];
  }

  protected initWeights(rng: Rng): void {
    const inDim = this.inputShape![0]!;
    this.kernel = this.addWeight(new Parameter(Tensor.zeros([inDim, this.units], this.dtype), { name: 'kernel' }));
    this.kernelInitializer.fill(this.kernel.value.data, inDim, this.units, rng);
    if (this.useBias) {
      this.bias = this.addWeight(new Parameter(Tensor.zeros([this.units], this.dtype), { name: 'bias' }));
      this.biasInitializer.fill(this.bias.value.data, inDim, this.units, rng);
    }
  }

  forward(x: FloatArray, n: number, ctx: LayerContext): FloatArray {
    const inDim = this.inputSize, u = this.units, act = this.activation;
    const y = this.buffer('y', n, n * u);
    const b = this.bias?.value.data ?? null;
    this.x = x;
    if (act.kernel !== null && act.kernel !== 'gelu' && !this.keepLogits) {
      // One fused call: y = act(x·W + b). relu/leakyRelu/sigmoid/tanh backward reads y only.
      ctx.be.sgemmBiasAct(false, false, n, u, inDim, x, inDim, this.kernel.value.data, u, b, act.kernel, act.alpha, y, u);
      this.z = null;
    } else {
      const z = this.buffer('z', n, n * u);
      ctx.be.sgemmBiasAct(false, false, n, u, inDim, x, inDim, this.kernel.value.data, u, b, 'none', 0, z, u);
      act.forward(ctx.be, n, u, z, y);
      this.z = z;
    }
    this.y = y;
    if (this.activityRegularizer) this.activityLoss = this.activityRegularizer.penalty(y.subarray(0, n * u)) / n;
    return y;
  }

  backward(dy: FloatArray, n: number, ctx: LayerContext, needInputGrad: boolean): FloatArray | null {
    const u = this.units;
    let g = dy;
    if (this.activityRegularizer) {
      // d/dy of (l1·Σ|y| + l2·Σy²)/n, added before the activation's backward.
      const { l1, l2 } = this.activityRegularizer, y = this.y!;
      g = this.buffer('dyReg', n, n * u);
      for (let i = 0; i < n * u; i++) g[i] = dy[i]! + (l1 * Math.sign(y[i]!) + 2 * l2 * y[i]!) / n;
    }
    let dz = g;
    if (this.activation.name !== 'linear') {
      dz = this.buffer('dz', n, n * u);
      this.activation.backward(ctx.be, n, u, this.z ?? this.y!, this.y!, g, dz);
    }
    return this.backwardFromLogits(dz, n, ctx, needInputGrad);
  }

  fusableOutput(): 'softmax' | 'sigmoid' | null {
    const a = this.activation.name;
    return (a === 'softmax' || a === 'sigmoid') && !this.activityRegularizer ? a : null;
  }

  logits(): FloatArray | null { return this.z; }

  /** Backward from dL/dz, z = x·W + b: the three GEMM-family calls of the header. */
  backwardFromLogits(dz: FloatArray, n: number, ctx: LayerContext, needInputGrad: boolean): FloatArray | null {
    const inDim = this.inputSize, u = this.units, be = ctx.be, x = this.x!;
    if (this.kernel.trainable) {
      be.sgemm(true, false, inDim, u, n, 1, x, inDim, dz, u, 1, this.kernel.grad.data, u);
      this.kernelRegularizer?.addGradient(this.kernel.value.data, this.kernel.grad.data);
    }
    if (this.bias && this.bias.trainable) {
      be.colSum(n, u, 1, dz, 1, this.bias.grad.data);
      this.biasRegularizer?.addGradient(this.bias.value.data, this.bias.grad.data);
    }
    if (!needInputGrad) return null;
    const dx = this.buffer('dx', n, n * inDim);
    be.sgemm(false, true, n, inDim, u, 1, dz, u, this.kernel.value.data, u, 0, dx, inDim);
    return dx;
  }

  regularizationLoss(): number {
    let s = this.activityRegularizer ? this.activityLoss : 0;
    if (this.kernelRegularizer) s += this.kernelRegularizer.penalty(this.kernel.value.data);
    if (this.bias && this.biasRegularizer) s += this.biasRegularizer.penalty(this.bias.value.data);
    return s;
  }

  getConfig(): Record<string, unknown> {
    return {
      units: this.units, activation: this.activation.name, alpha: this.activation.alpha, useBias: this.useBias,
      kernelInitializer: initializerConfig(this.kernelInitializer), biasInitializer: initializerConfig(this.biasInitializer),
      kernelRegularizer: this.kernelRegularizer?.getConfig() ?? null, biasRegularizer: this.biasRegularizer?.getConfig() ?? null,
      activityRegularizer: this.activityRegularizer?.getConfig() ?? null,
    };
  }
}

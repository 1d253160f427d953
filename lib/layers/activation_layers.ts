// Activation layers (Keras layers.Activation, ReLU, LeakyReLU, ELU, Softmax, PReLU; PyTorch GELU, RReLU).
// Contract: shape-preserving, elementwise except Softmax (over the last axis). PReLU learns one slope per
// feature (last axis; initial 0.25 as torch.nn.PReLU); RReLU draws slopes ~ U(lower, upper) per element in
// training from the model's Rng and uses (lower + upper)/2 in inference (torch.nn.RReLU, defaults 1/8, 1/3).
// Not here: the function formulas (activations.ts).
import type { FloatArray } from '../backend/backend';
import { checkKeys, checkNumber } from '../optim/options';
import { Parameter } from '../optim/parameter';
import type { Rng } from '../rng';
import { Tensor } from '../tensor';
import { getActivation, type ActivationFn, type ActivationName } from './activations';
import { getInitializer, initializerConfig, type Initializer, type InitializerArg } from './initializers';
import { LAYER_KEYS, Layer, type LayerContext, type LayerOptions } from './layer';

export interface ActivationOptions extends LayerOptions { activation?: ActivationName; alpha?: number }

/** Keras layers.Activation: applies a named activation. */
export class Activation extends Layer {
  readonly fn: ActivationFn;
  private x: FloatArray | null = null;
  private y: FloatArray | null = null;

  constructor(activation: ActivationName | ActivationOptions, options: ActivationOptions = {}, className = 'Activation') {
    const o = typeof activation === 'string' ? { ...options, activation } : activation;
    super(className, checkKeys(className, o, [...LAYER_KEYS, 'activation', 'alpha']) as LayerOptions);
    this.fn = getActivation(className, o.activation, o.alpha);
  }

  computeOutputShape(s: readonly number[]): readonly number[] { return s; }

  forward(x: FloatArray, n: number, ctx: LayerContext): FloatArray {
    const y = this.buffer('y', n, n * this.inputSize);
    this.fn.forward(ctx.be, n * this.inputSize / this.lastDim(), this.lastDim(), x, y);
    this.x = x;
    this.y = y;
    return y;
  }

  backward(dy: FloatArray, n: number, ctx: LayerContext, needInputGrad: boolean): FloatArray | null {
    if (!needInputGrad) return null;
    const dx = this.buffer('dx', n, n * this.inputSize);
    this.fn.backward(ctx.be, n * this.inputSize / this.lastDim(), this.lastDim(), this.x!, this.y!, dy, dx);
    return dx;
  }

  private lastDim(): number { return this.inputShape![this.inputShape!.length - 1]!; }

  fusableOutput(): 'softmax' | 'sigmoid' | null {
    return this.fn.name === 'softmax' || this.fn.name === 'sigmoid' ? this.fn.name : null;
  }
  logits(): FloatArray | null { return this.x; }
  backwardFromLogits(dz: FloatArray, _n: number, _ctx: LayerContext, needInputGrad: boolean): FloatArray | null {
    return needInputGrad ? dz : null;
  }

  getConfig(): Record<string, unknown> { return { activation: this.fn.name, alpha: this.fn.alpha }; }
}

/** Keras layers.ReLU. */
export class ReLU extends Activation {
  constructor(options: LayerOptions = {}) { super('relu', options, 'ReLU'); }
  getConfig(): Record<string, unknown> { return {}; }
}
/** Keras layers.LeakyReLU(alpha = 0.3): x if x ≥ 0 else alpha·x. */
export class LeakyReLU extends Activation {
  constructor(options: LayerOptions & { alpha?: number } = {}) { super({ ...options, activation: 'leakyRelu' }, {}, 'LeakyReLU'); }
  getConfig(): Record<string, unknown> { return { alpha: this.fn.alpha }; }
}
/** Keras layers.ELU(alpha = 1). */
export class ELU extends Activation {
  constructor(options: LayerOptions & { alpha?: number } = {}) { super({ ...options, activation: 'elu' }, {}, 'ELU'); }
  getConfig(): Record<string, unknown> { return { alpha: this.fn.alpha }; }
}
/** torch.nn.GELU(approximate = 'none' | 'tanh'). */
export class GELU extends Activation {
  constructor(options: LayerOptions & { approximate?: 'none' | 'tanh' } = {}) {
    const { approximate = 'none', ...rest } = checkKeys('GELU', options, [...LAYER_KEYS, 'approximate']) as LayerOptions & { approximate?: string };
    if (approximate !== 'none' && approximate !== 'tanh') throw new TypeError(`GELU: approximate must be 'none' or 'tanh', got ${String(approximate)}`);
    super(approximate === 'tanh' ? 'geluTanh' : 'gelu', rest, 'GELU');
  }
  getConfig(): Record<string, unknown> { return { approximate: this.fn.name === 'geluTanh' ? 'tanh' : 'none' }; }
}
/** Keras layers.Softmax over the last axis (stable: the row maximum is subtracted first). */
export class Softmax extends Activation {
  constructor(options: LayerOptions = {}) { super('softmax', options, 'Softmax'); }
  getConfig(): Record<string, unknown> { return {}; }
}

/** torch.nn.PReLU / Keras PReLU: y = x if x > 0 else a_j·x with a learned slope a_j per feature j (last axis). */
export class PReLU extends Layer {
  readonly alphaInitializer: Initializer;
  alpha!: Parameter;
  private x: FloatArray | null = null;

  constructor(options: LayerOptions & { alphaInitializer?: InitializerArg } = {}) {
    super('PReLU', checkKeys('PReLU', options, [...LAYER_KEYS, 'alphaInitializer']) as LayerOptions);
    this.alphaInitializer = getInitializer('PReLU: alphaInitializer', options.alphaInitializer ?? { name: 'constant', config: { value: 0.25 } });
  }
  computeOutputShape(s: readonly number[]): readonly number[] { return s; }
  protected initWeights(rng: Rng): void {
    const c = this.inputShape![this.inputShape!.length - 1]!;
    this.alpha = this.addWeight(new Parameter(Tensor.zeros([c], this.dtype), { name: 'alpha' }));
    this.alphaInitializer.fill(this.alpha.value.data, c, c, rng);
  }
  forward(x: FloatArray, n: number): FloatArray {
    const size = n * this.inputSize, a = this.alpha.value.data, c = a.length, y = this.buffer('y', n, size);
    for (let i = 0; i < size; i++) { const v = x[i]!; y[i] = v > 0 ? v : a[i % c]! * v; }
    this.x = x;
    return y;
  }
  /** dx = dy if x > 0 else a_j·dy; da_j += Σ_{x ≤ 0} dy·x. */
  backward(dy: FloatArray, n: number, _ctx: LayerContext, needInputGrad: boolean): FloatArray | null {
    const size = n * this.inputSize, a = this.alpha.value.data, c = a.length, x = this.x!;
    if (this.alpha.trainable) {
      const da = this.alpha.grad.data;
      for (let i = 0; i < size; i++) if (!(x[i]! > 0)) da[i % c] = da[i % c]! + dy[i]! * x[i]!;
    }
    if (!needInputGrad) return null;
    const dx = this.buffer('dx', n, size);
    for (let i = 0; i < size; i++) dx[i] = x[i]! > 0 ? dy[i]! : a[i % c]! * dy[i]!;
    return dx;
  }
  getConfig(): Record<string, unknown> { return { alphaInitializer: initializerConfig(this.alphaInitializer) }; }
}

/** torch.nn.RReLU(lower = 1/8, upper = 1/3): random negative slope per element in training, mean slope in inference. */
export class RReLU extends Layer {
  readonly lower: number;
  readonly upper: number;
  /** When true, training forwards reuse the last drawn slopes (gradCheck's fixed mask). */
  reuseNoise = false;
  private x: FloatArray | null = null;
  private slopes: FloatArray | null = null;
  private trainingPass = false;

  constructor(options: LayerOptions & { lower?: number; upper?: number } = {}) {
    super('RReLU', checkKeys('RReLU', options, [...LAYER_KEYS, 'lower', 'upper']) as LayerOptions);
    this.lower = checkNumber('RReLU', 'lower', options.lower ?? 1 / 8);
    this.upper = checkNumber('RReLU', 'upper', options.upper ?? 1 / 3);
    if (!(this.lower >= 0 && this.lower <= this.upper && this.upper <= 1)) {
      throw new RangeError(`RReLU: need 0 <= lower <= upper <= 1, got lower ${this.lower}, upper ${this.upper}`);
    }
  }
  computeOutputShape(s: readonly number[]): readonly number[] { return s; }
  forward(x: FloatArray, n: number, ctx: LayerContext): FloatArray {
    const size = n * this.inputSize, y = this.buffer('y', n, size);
    this.x = x;
    this.trainingPass = ctx.training;
    if (ctx.training) {
      const s = this.buffer('slopes', n, size);
      if (!this.reuseNoise || this.slopes !== s) ctx.rng.fillUniform(s, this.lower, this.upper);
      this.slopes = s;
      for (let i = 0; i < size; i++) { const v = x[i]!; y[i] = v >= 0 ? v : s[i]! * v; }
    } else {
      const m = (this.lower + this.upper) / 2;
      for (let i = 0; i < size; i++) { const v = x[i]!; y[i] = v >= 0 ? v : m * v; }
    }
    return y;
  }
  backward(dy: FloatArray, n: number, _ctx: LayerContext, needInputGrad: boolean): FloatArray | null {
    if (!needInputGrad) return null;
    const size = n * this.inputSize, x = this.x!, dx = this.buffer('dx', n, size);
    const s = this.slopes, m = (this.lower + this.upper) / 2;
    for (let i = 0; i < size; i++) dx[i] = x[i]! >= 0 ? dy[i]! : (this.trainingPass ? s![i]! : m) * dy[i]!;
    return dx;
  }
  getConfig(): Record<string, unknown> { return { lower: this.lower, upper: this.upper }; }
}

// Losses with Keras names, as classes and strings: meanSquaredError, meanAbsoluteError, huber,
// binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy ({ fromLogits }).
// Contract (Keras reduction 'sum_over_batch_size'): the batch loss is Σ_i w_i·l_i / n, l_i the mean over
// the sample's outputs for the elementwise losses; compute() returns Σ_i w_i·l_i and writes dL/dpred of
// the batch loss. Cross-entropies on probabilities clip to [1e-7, 1 − 1e-7] (Keras epsilon) and are fused
// with a softmax/sigmoid output layer by the model (stable log-sum-exp on the logits). A custom loss
// subclasses Loss and implements compute(). Not here: reductions other than the batch mean.
import type { FloatArray } from '../backend/backend';
import { checkKeys, checkPositive } from '../optim/options';

const EPS = 1e-7;

export abstract class Loss {
  /** Targets are one class index per sample (true) or the output's shape (false). */
  readonly sparse: boolean = false;
  constructor(readonly name: string) {}
  /**
   * Returns Σ_i w_i·l_i over the n samples (w_i = weights[i], or 1) of d outputs each, and, when grad is not
   * null, writes grad ← ∂(Σ_i w_i·l_i / n)/∂pred (n×d).
   */
  abstract compute(pred: FloatArray, target: FloatArray, n: number, d: number, weights: FloatArray | null,
    grad: FloatArray | null): number;
  /** The output activation this loss can be fused with when it works on probabilities (null if none). */
  fusesWith(): 'softmax' | 'sigmoid' | null { return null; }
  /** Same as compute(), from the logits z of the fused output activation: grad is ∂/∂z. */
  computeFromLogits(z: FloatArray, target: FloatArray, n: number, d: number, weights: FloatArray | null,
    grad: FloatArray | null): number {
    void z; void target; void n; void d; void weights; void grad;
    throw new Error(`${this.name}: cannot be fused with an output activation`);
  }
  getConfig(): Record<string, unknown> { return {}; }
}

/** An elementwise loss: l_i = (1/d)·Σ_j f(p_ij, t_ij), with f' given. */
abstract class ElementwiseLoss extends Loss {
  protected abstract f(p: number, t: number): number;
  protected abstract df(p: number, t: number): number;
  compute(pred: FloatArray, target: FloatArray, n: number, d: number, weights: FloatArray | null, grad: FloatArray | null): number {
    let total = 0;
    const gs = 1 / (n * d);
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i]! : 1;
      let s = 0;
      for (let j = i * d; j < (i + 1) * d; j++) {
        s += this.f(pred[j]!, target[j]!);
        if (grad) grad[j] = w * gs * this.df(pred[j]!, target[j]!);
      }
      total += w * s / d;
    }
    return total;
  }
}

/** MSE: f = (p − t)², f' = 2(p − t). */
export class MeanSquaredError extends ElementwiseLoss {
  constructor() { super('meanSquaredError'); }
  protected f(p: number, t: number): number { return (p - t) * (p - t); }
  protected df(p: number, t: number): number { return 2 * (p - t); }
}

/** MAE: f = |p − t|, f' = sign(p − t). */
export class MeanAbsoluteError extends ElementwiseLoss {
  constructor() { super('meanAbsoluteError'); }
  protected f(p: number, t: number): number { return Math.abs(p - t); }
  protected df(p: number, t: number): number { return Math.sign(p - t); }
}

/** Huber (Keras): e = p − t; f = ½e² if |e| ≤ δ else δ(|e| − ½δ); f' = e or δ·sign(e). */
export class Huber extends ElementwiseLoss {
  readonly delta: number;
  constructor(options: { delta?: number } = {}) {
    super('huber');
    this.delta = checkPositive('huber', 'delta', checkKeys('huber', options, ['delta']).delta ?? 1);
  }
  protected f(p: number, t: number): number {
    const a = Math.abs(p - t);
    return a <= this.delta ? 0.5 * a * a : this.delta * (a - 0.5 * this.delta);
  }
  protected df(p: number, t: number): number {
    const e = p - t;
    return Math.abs(e) <= this.delta ? e : this.delta * Math.sign(e);
  }
  getConfig(): Record<string, unknown> { return { delta: this.delta }; }
}

function fromLogitsOption(where: string, options: unknown): boolean {
  const v = checkKeys(where, options, ['fromLogits']).fromLogits ?? false;
  if (typeof v !== 'boolean') throw new TypeError(`${where}: fromLogits must be a boolean`);
  return v;
}

/**
 * Binary cross-entropy (Keras): probabilities p: f = −[t·log p + (1 − t)·log(1 − p)], p clipped to
 * [ε, 1 − ε], f' = (p − t)/(p(1 − p)); logits z (stable, TensorFlow's sigmoid_cross_entropy_with_logits):
 * f = max(z, 0) − z·t + log(1 + e^−|z|), f' = σ(z) − t.
 */
export class BinaryCrossentropy extends ElementwiseLoss {
  readonly fromLogits: boolean;
  constructor(options: { fromLogits?: boolean } = {}) {
    super('binaryCrossentropy');
    this.fromLogits = fromLogitsOption('binaryCrossentropy', options);
  }
  protected f(p: number, t: number): number {
    if (this.fromLogits) return Math.max(p, 0) - p * t + Math.log1p(Math.exp(-Math.abs(p)));
    const q = Math.min(Math.max(p, EPS), 1 - EPS);
    return -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
  }
  protected df(p: number, t: number): number {
    if (this.fromLogits) return 1 / (1 + Math.exp(-p)) - t;
    const q = Math.min(Math.max(p, EPS), 1 - EPS);
    return q === p ? (p - t) / (p * (1 - p)) : 0; // clipped: constant, zero gradient (as Keras)
  }
  fusesWith(): 'softmax' | 'sigmoid' | null { return this.fromLogits ? null : 'sigmoid'; }
  private logitsTwin: BinaryCrossentropy | null = null;
  computeFromLogits(z: FloatArray, target: FloatArray, n: number, d: number, weights: FloatArray | null, grad: FloatArray | null): number {
    this.logitsTwin ??= new BinaryCrossentropy({ fromLogits: true });
    return this.logitsTwin.compute(z, target, n, d, weights, grad);
  }
  getConfig(): Record<string, unknown> { return { fromLogits: this.fromLogits }; }
}

/**
 * Row i of logits z: writes g ← softmax(z)·Σ_j t_j − t (the gradient of Σ_j t_j·(lse − z_j)) scaled by s,
 * returns Σ_j t_j·(lse(z) − z_j), lse(z) = m + log Σ exp(z_j − m), m = max z (stable log-sum-exp).
 * `label` ≥ 0 means t is one-hot at label (sparse targets) and `t` is ignored.
 */
function softmaxCrossEntropyRow(z: FloatArray, o: number, d: number, t: FloatArray | null, label: number,
  g: FloatArray | null, s: number): number {
  let m = -Infinity;
  for (let j = 0; j < d; j++) if (!(z[o + j]! <= m)) m = z[o + j]!;
  let sum = 0;
  for (let j = 0; j < d; j++) sum += Math.exp(z[o + j]! - m);
  const lse = m + Math.log(sum);
  let loss = 0, tsum = 0;
  if (label >= 0) { loss = lse - z[o + label]!; tsum = 1; } else {
    for (let j = 0; j < d; j++) { const tj = t![o + j]!; loss += tj * (lse - z[o + j]!); tsum += tj; }
  }
  if (g) {
    for (let j = 0; j < d; j++) {
      const tj = label >= 0 ? (j === label ? 1 : 0) : t![o + j]!;
      g[o + j] = s * (Math.exp(z[o + j]! - lse) * tsum - tj);
    }
  }
  return loss;
}

/** Shared by categorical and sparse categorical cross-entropy (differ only in target layout). */
abstract class CrossEntropy extends Loss {
  readonly fromLogits: boolean;
  constructor(name: string, options: unknown) {
    super(name);
    this.fromLogits = fromLogitsOption(name, options);
  }
  /** Target row: its label (sparse) or −1 (dense, read from target). */
  protected abstract label(target: FloatArray, i: number): number;

  compute(pred: FloatArray, target: FloatArray, n: number, d: number, weights: FloatArray | null, grad: FloatArray | null): number {
    if (this.fromLogits) return this.computeFromLogits(pred, target, n, d, weights, grad);
    // Probabilities: l = −Σ_j t_j·log clip(p_j); ∂l/∂p_j = −t_j/p_j (0 where clipped). No renormalization of p.
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i]! : 1, k = this.label(target, i), o = i * d;
      let l = 0;
      for (let j = 0; j < d; j++) {
        const tj = k >= 0 ? (j === k ? 1 : 0) : target[o + j]!, p = pred[o + j]!, q = Math.min(Math.max(p, EPS), 1 - EPS);
        if (tj !== 0) l -= tj * Math.log(q);
        if (grad) grad[o + j] = q === p ? -w * tj / (p * n) : 0;
      }
      total += w * l;
    }
    return total;
  }
  fusesWith(): 'softmax' | 'sigmoid' | null { return this.fromLogits ? null : 'softmax'; }
  computeFromLogits(z: FloatArray, target: FloatArray, n: number, d: number, weights: FloatArray | null, grad: FloatArray | null): number {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i]! : 1;
      total += w * softmaxCrossEntropyRow(z, i * d, d, target, this.label(target, i), grad, w / n);
    }
    return total;
  }
  getConfig(): Record<string, unknown> { return { fromLogits: this.fromLogits }; }
}

/** Categorical cross-entropy on one-hot (or soft) targets of the output's shape. */
export class CategoricalCrossentropy extends CrossEntropy {
  constructor(options: { fromLogits?: boolean } = {}) { super('categoricalCrossentropy', options); }
  protected label(): number { return -1; }
}

/** Sparse categorical cross-entropy: one integer class index per sample. */
export class SparseCategoricalCrossentropy extends CrossEntropy {
  readonly sparse = true;
  constructor(options: { fromLogits?: boolean } = {}) { super('sparseCategoricalCrossentropy', options); }
  protected label(target: FloatArray, i: number): number { return target[i]!; }
}

const FACTORIES: Record<string, (o?: Record<string, unknown>) => Loss> = {
  meanSquaredError: () => new MeanSquaredError(), mse: () => new MeanSquaredError(),
  meanAbsoluteError: () => new MeanAbsoluteError(), mae: () => new MeanAbsoluteError(),
  huber: (o) => new Huber(o),
  binaryCrossentropy: (o) => new BinaryCrossentropy(o),
  categoricalCrossentropy: (o) => new CategoricalCrossentropy(o),
  sparseCategoricalCrossentropy: (o) => new SparseCategoricalCrossentropy(o),
};

/** Makes a custom loss loadable by name (loadModel of a model compiled with it): factory(config). */
export function registerLoss(name: string, factory: (config?: Record<string, unknown>) => Loss): void {
  if (typeof name !== 'string' || typeof factory !== 'function') throw new TypeError('registerLoss: expected (name: string, factory: function)');
  FACTORIES[name] = factory;
}

/** A loss from an instance, a Keras name, or a { name, config } record (saved models). */
export function getLoss(where: string, v: unknown): Loss {
  if (v instanceof Loss) return v;
  const name = typeof v === 'string' ? v : (v as { name?: unknown } | null)?.name;
  const config = typeof v === 'object' && v !== null ? (v as { config?: Record<string, unknown> }).config : undefined;
  const make = typeof name === 'string' && Object.hasOwn(FACTORIES, name) ? FACTORIES[name] : undefined;
  if (!make) throw new TypeError(`${where}: unknown loss ${JSON.stringify(name)} (known: ${Object.keys(FACTORIES).join(', ')}, or a Loss instance; custom losses: registerLoss)`);
  return make(config);
}

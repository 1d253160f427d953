// Weight regularizers with Keras semantics (tf.keras.regularizers): l1, l2, l1l2. The model layer adds
// penalty(w) to the reported loss and addGradient(w, grad) to the weights' gradients in the backward pass.
// Contract: penalty in float64; addGradient accumulates (+=) like every backward pass.
// Not here: decoupled weight decay (AdamW's weightDecay) — a property of the optimizer, not of the loss.
import type { FloatArray } from '../backend/backend';
import { checkKeys, checkNonNegative } from './options';

export class Regularizer {
  /** Keras L1L2: penalty = l1·Σ|w| + l2·Σw² (no ½ on the L2 term, as Keras). */
  constructor(readonly l1: number, readonly l2: number) {
    checkNonNegative('Regularizer', 'l1', l1);
    checkNonNegative('Regularizer', 'l2', l2);
  }

  /** l1·Σ|w| + l2·Σw². */
  penalty(w: FloatArray): number {
    let a = 0, s = 0;
    for (let i = 0; i < w.length; i++) { a += Math.abs(w[i]!); s += w[i]! * w[i]!; }
    return this.l1 * a + this.l2 * s;
  }

  /** grad += l1·sign(w) + 2·l2·w (sign(0) = 0, as TensorFlow's gradient of |w| at 0). */
  addGradient(w: FloatArray, grad: FloatArray): void {
    if (grad.length !== w.length) throw new RangeError(`Regularizer.addGradient: grad.length ${grad.length} != w.length ${w.length}`);
    const l1 = this.l1, l2x2 = 2 * this.l2;
    for (let i = 0; i < w.length; i++) grad[i] = grad[i]! + l1 * Math.sign(w[i]!) + l2x2 * w[i]!;
  }

  getConfig(): { l1: number; l2: number } {
    return { l1: this.l1, l2: this.l2 };
  }
}

/** Keras regularizers.l1(l1=0.01), l2(l2=0.01), l1l2({ l1 = 0, l2 = 0 }). */
export const regularizers = {
  l1: (l1 = 0.01): Regularizer => new Regularizer(l1, 0),
  l2: (l2 = 0.01): Regularizer => new Regularizer(0, l2),
  l1l2: (options: { l1?: number; l2?: number } = {}): Regularizer => {
    const o = checkKeys('regularizers.l1l2', options, ['l1', 'l2']);
    return new Regularizer((o.l1 as number | undefined) ?? 0, (o.l2 as number | undefined) ?? 0);
  },
};

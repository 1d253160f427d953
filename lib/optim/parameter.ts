// Parameter (DESIGN.md): a trainable tensor and its gradient, allocated together with the same shape
// and dtype. Layers' backward passes ACCUMULATE into grad (+=), as PyTorch; optimizer.zeroGrad() zeroes.
// Not here: initialization (layers' initializers), the update rule (optimizers).
import { Tensor } from '../tensor';

export interface ParameterOptions {
  name?: string;
  /** Non-trainable parameters are skipped by optimizers and gradient clipping (default true). */
  trainable?: boolean;
}

export class Parameter {
  readonly value: Tensor;
  readonly grad: Tensor;
  name: string;
  trainable: boolean;

  constructor(value: Tensor, options: ParameterOptions = {}) {
    if (!(value instanceof Tensor)) throw new TypeError(`Parameter: value must be a Tensor, got ${typeof value}`);
    for (const k of Object.keys(options)) {
      if (k !== 'name' && k !== 'trainable') throw new TypeError(`Parameter: unknown option '${k}' (known: name, trainable)`);
    }
    const { name = '', trainable = true } = options;
    if (typeof name !== 'string') throw new TypeError('Parameter: name must be a string');
    if (typeof trainable !== 'boolean') throw new TypeError('Parameter: trainable must be a boolean');
    this.value = value;
    this.grad = Tensor.zeros(value.shape, value.dtype);
    this.name = name;
    this.trainable = trainable;
  }
}

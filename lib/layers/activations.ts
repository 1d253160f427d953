// Activation functions shared by the activation layers and Dense's `activation` option: forward and
// backward over a rows×cols buffer. Kernel activations (relu, leakyRelu, sigmoid, tanh, gelu) run on the
// backend; elu, the tanh-approximated gelu and softmax are plain loops here (they are not kernels yet).
// Contract: forward(x → y), backward(x, y, dy → dx); dx may alias dy. Not here: learned or random slopes
// (PReLU, RReLU are layers in activation_layers.ts).
import type { Activation, Backend, FloatArray } from '../backend/backend';

export type ActivationName = 'linear' | 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh' | 'gelu' | 'geluTanh' | 'elu' | 'softmax';
export const ACTIVATION_NAMES: readonly ActivationName[] =
  ['linear', 'relu', 'leakyRelu', 'sigmoid', 'tanh', 'gelu', 'geluTanh', 'elu', 'softmax'];

export interface ActivationFn {
  readonly name: ActivationName;
  /** leakyRelu's negative slope or elu's alpha (0 otherwise). */
  readonly alpha: number;
  /** The backend kernel computing it, or null when it is a loop of this file. */
  readonly kernel: Activation | null;
  forward(be: Backend, rows: number, cols: number, x: FloatArray, y: FloatArray): void;
  /** dx ← dy ⊙ f'(x): reads y for relu/leakyRelu/sigmoid/tanh/softmax, x for gelu/geluTanh, both for elu. */
  backward(be: Backend, rows: number, cols: number, x: FloatArray, y: FloatArray, dy: FloatArray, dx: FloatArray): void;
}

function kernelFn(name: ActivationName, kernel: Activation, alpha: number): ActivationFn {
  return {
    name, alpha, kernel,
    forward: (be, rows, cols, x, y) => be.activationForward(kernel, alpha, rows * cols, x, y),
    backward: (be, rows, cols, x, y, dy, dx) => be.activationBackward(kernel, alpha, rows * cols, x, y, dy, dx),
  };
}

/** elu(x) = x if x > 0 else α(eˣ − 1); elu'(x) = 1 if x > 0 else y + α (torch.nn.ELU, Keras elu). */
function elu(alpha: number): ActivationFn {
  return {
    name: 'elu', alpha, kernel: null,
    forward(_be, rows, cols, x, y) {
      for (let i = 0, n = rows * cols; i < n; i++) { const v = x[i]!; y[i] = v > 0 ? v : alpha * Math.expm1(v); }
    },
    backward(_be, rows, cols, x, y, dy, dx) {
      for (let i = 0, n = rows * cols; i < n; i++) dx[i] = x[i]! > 0 ? dy[i]! : dy[i]! * (y[i]! + alpha);
    },
  };
}

const GELU_C = Math.sqrt(2 / Math.PI), GELU_A = 0.044715;
/**
 * gelu, tanh approximation (torch.nn.GELU(approximate='tanh'), Keras gelu(approximate=True)):
 * y = ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³); y' = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²).
 */
const geluTanh: ActivationFn = {
  name: 'geluTanh', alpha: 0, kernel: null,
  forward(_be, rows, cols, x, y) {
    for (let i = 0, n = rows * cols; i < n; i++) {
      const v = x[i]!;
      y[i] = 0.5 * v * (1 + Math.tanh(GELU_C * (v + GELU_A * v * v * v)));
    }
  },
  backward(_be, rows, cols, x, _y, dy, dx) {
    for (let i = 0, n = rows * cols; i < n; i++) {
      const v = x[i]!, t = Math.tanh(GELU_C * (v + GELU_A * v * v * v));
      dx[i] = dy[i]! * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_C * (1 + 3 * GELU_A * v * v));
    }
  },
};

/**
 * softmax over each row (the last axis), stable: y = exp(x − max)/Σ exp(x − max);
 * backward dx = y ⊙ (dy − Σ_j dy_j·y_j) (the softmax Jacobian–vector product).
 */
export const softmax: ActivationFn = {
  name: 'softmax', alpha: 0, kernel: null,
  forward(_be, rows, cols, x, y) {
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let m = -Infinity;
      for (let j = 0; j < cols; j++) if (!(x[o + j]! <= m)) m = x[o + j]!; // NaN propagates into m
      let s = 0;
      for (let j = 0; j < cols; j++) { const e = Math.exp(x[o + j]! - m); y[o + j] = e; s += e; }
      const inv = 1 / s;
      for (let j = 0; j < cols; j++) y[o + j] = y[o + j]! * inv;
    }
  },
  backward(_be, rows, cols, _x, y, dy, dx) {
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += dy[o + j]! * y[o + j]!;
      for (let j = 0; j < cols; j++) dx[o + j] = y[o + j]! * (dy[o + j]! - dot);
    }
  },
};

const linear: ActivationFn = {
  name: 'linear', alpha: 0, kernel: 'none',
  forward: (_be, rows, cols, x, y) => { if (x !== y) y.set(x.subarray(0, rows * cols)); },
  backward: (_be, rows, cols, _x, _y, dy, dx) => { if (dx !== dy) dx.set(dy.subarray(0, rows * cols)); },
};

/** Default slopes: LeakyReLU 0.3 (Keras layers.LeakyReLU), ELU 1 (Keras and PyTorch). */
export const DEFAULT_ALPHA: Partial<Record<ActivationName, number>> = { leakyRelu: 0.3, elu: 1 };

/** The activation named `name` (alpha for leakyRelu / elu). 'none' is accepted for 'linear'. */
export function getActivation(where: string, name: unknown, alpha?: number): ActivationFn {
  const n = name === 'none' || name === undefined || name === null ? 'linear' : name;
  if (typeof n !== 'string' || !(ACTIVATION_NAMES as readonly string[]).includes(n)) {
    throw new TypeError(`${where}: unknown activation ${JSON.stringify(name)} (known: ${ACTIVATION_NAMES.join(', ')})`);
  }
  const a = alpha ?? DEFAULT_ALPHA[n as ActivationName] ?? 0;
  if (!Number.isFinite(a)) throw new RangeError(`${where}: alpha must be finite, got ${a}`);
  switch (n as ActivationName) {
    case 'linear': return linear;
    case 'elu': return elu(a);
    case 'geluTanh': return geluTanh;
    case 'softmax': return softmax;
    case 'leakyRelu': return kernelFn('leakyRelu', 'leakyRelu', a);
    default: return kernelFn(n as ActivationName, n as Activation, 0);
  }
}

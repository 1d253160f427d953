// gradCheck over every layer, activation and loss (issue 6: max relative error < 1e-6 in float64).
// Each case is a small seeded model whose pre-activations (and loss errors) are checked to stay away from kinks.
import { describe, expect, it } from 'vitest';
import {
  Activation, BatchNorm, Dense, backends, Dropout, ELU, Flatten, GELU, LeakyReLU, PReLU, ReLU, RReLU, Rng, Sequential, Softmax,
  Tensor, gradCheck, registerLayer, regularizers, type ActivationName, type DenseOptions, type FloatArray, type Layer,
  type LayerContext, type Loss,
} from '../lib/index';
import { toFloat64 } from '../lib/model/grad_check';
import { BinaryCrossentropy, CategoricalCrossentropy, Huber, MeanAbsoluteError, MeanSquaredError, SparseCategoricalCrossentropy } from '../lib/losses/losses';

const N = 6, IN = 5;
function data(seed: number, outDim: number, kind: 'sparse' | 'onehot' | 'binary' | 'real') {
  const rng = new Rng(seed);
  const x = Tensor.uniform([N, IN], -1, 1, rng);
  let y: Tensor | number[];
  if (kind === 'sparse') y = Array.from({ length: N }, () => rng.int(outDim));
  else if (kind === 'onehot') {
    y = Tensor.zeros([N, outDim]);
    for (let i = 0; i < N; i++) y.data[i * outDim + rng.int(outDim)] = 1;
  } else if (kind === 'binary') y = Tensor.fromArray(Array.from({ length: N * outDim }, () => rng.int(2)), [N, outDim]);
  else y = Tensor.uniform([N, outDim], -2, 2, rng);
  return { x, y };
}

const KINKED = new Set(['relu', 'leakyRelu', 'elu']);
/**
 * The smallest |pre-activation| at a kink (relu, leakyRelu, elu, PReLU, RReLU at 0) over the model's float64
 * copy: a central difference straddling a kink is not a derivative, so the cases must stay ≥ 1e-3 away
 * (a step of h = 1e-4 on a weight moves a pre-activation by at most h·|input| ≈ 3e-4 here).
 */
function kinkDistance(model: Sequential, x: Tensor): number {
  const m = toFloat64(model), n = x.shape[0]!;
  const ctx = { be: backends.reference, training: true, rng: new Rng(0) };
  let h: FloatArray = Float64Array.from(x.data), min = Infinity;
  const minAbs = (a: ArrayLike<number>) => { for (let i = 0; i < a.length; i++) min = Math.min(min, Math.abs(a[i]!)); };
  for (const l of m.layers) {
    if (l instanceof Dense && KINKED.has(l.activation.name)) {
      const w = l.kernel.value.data, b = l.bias?.value.data, k = l.inputSize, u = l.units, z = new Float64Array(n * u);
      for (let i = 0; i < n; i++) for (let j = 0; j < u; j++) {
        let s = b ? b[j]! : 0;
        for (let q = 0; q < k; q++) s += h[i * k + q]! * w[q * u + j]!;
        z[i * u + j] = s;
      }
      minAbs(z);
    }
    if ((l instanceof Activation && KINKED.has(l.fn.name)) || l instanceof PReLU || l instanceof RReLU) minAbs(h.subarray(0, n * l.inputSize));
    h = l.forward(h, n, ctx);
  }
  return min;
}

function check(layers: Layer[], loss: Loss | string, kind: 'sparse' | 'onehot' | 'binary' | 'real', outDim: number, seed = 1) {
  const model = new Sequential(layers, { seed });
  const { x, y } = data(seed + 100, outDim, kind);
  expect(kinkDistance(model, x)).toBeGreaterThan(1e-3);
  const r = gradCheck(model, loss, x, y);
  expect(r.perParameter.length).toBeGreaterThan(0);
  for (const p of r.perParameter) expect(p.checked).toBeGreaterThan(0);
  if (!(r.maxRelError < 1e-6)) throw new Error(`gradCheck failed: ${JSON.stringify(r.perParameter)}`);
  return r;
}

describe('gradCheck: Dense with every activation option', () => {
  const acts: ActivationName[] = ['linear', 'relu', 'leakyRelu', 'sigmoid', 'tanh', 'gelu', 'geluTanh', 'elu', 'softmax'];
  for (const a of acts) {
    it(`Dense(activation '${a}') → Dense, mse`, () => {
      check([new Dense(7, { inputShape: [IN], activation: a, biasInitializer: 'randomNormal' }), new Dense(3)], 'meanSquaredError', 'real', 3);
    });
  }
});

describe('gradCheck: activation layers', () => {
  const cases: Array<[string, () => Layer]> = [
    ['ReLU', () => new ReLU()], ['LeakyReLU', () => new LeakyReLU({ alpha: 0.2 })], ['ELU', () => new ELU({ alpha: 0.7 })],
    ['GELU exact', () => new GELU()], ['GELU tanh', () => new GELU({ approximate: 'tanh' })],
    ['Activation(sigmoid)', () => new Activation('sigmoid')], ['Activation(tanh)', () => new Activation('tanh')],
    ['Softmax', () => new Softmax()], ['PReLU', () => new PReLU()], ['RReLU (training, fixed slopes)', () => new RReLU()],
    ['Dropout (training, fixed mask)', () => new Dropout(0.4)], ['BatchNorm (training)', () => new BatchNorm({ momentum: 0.3 })],
    ['Flatten', () => new Flatten()],
  ];
  for (const [name, make] of cases) {
    it(`Dense → ${name} → Dense, mse`, () => {
      // No bias before BatchNorm: its gradient is exactly 0 (the mean cancels it) and the check would compare noise.
      const first = new Dense(8, { inputShape: [IN], useBias: !name.startsWith('BatchNorm') });
      check([first, make(), new Dense(2)], 'meanSquaredError', 'real', 2);
    });
  }
  it('Flatten of a rank-3 input, then Dense', () => {
    const model = new Sequential([new Flatten({ inputShape: [1, IN] }), new Dense(3)]);
    const { x, y } = data(5, 3, 'real');
    expect(gradCheck(model, 'mse', x.reshape([N, 1, IN]), y).maxRelError).toBeLessThan(1e-6);
  });
});

describe('gradCheck: every loss (fused and unfused)', () => {
  const cases: Array<[string, () => Layer[], () => Loss, 'sparse' | 'onehot' | 'binary' | 'real', number]> = [
    ['mse', () => [new Dense(3, { inputShape: [IN] })], () => new MeanSquaredError(), 'real', 3],
    ['mae', () => [new Dense(3, { inputShape: [IN] })], () => new MeanAbsoluteError(), 'real', 3],
    ['huber (both branches)', () => [new Dense(3, { inputShape: [IN], kernelInitializer: 'heNormal' })], () => new Huber({ delta: 0.5 }), 'real', 3],
    ['binaryCE fromLogits', () => [new Dense(2, { inputShape: [IN] })], () => new BinaryCrossentropy({ fromLogits: true }), 'binary', 2],
    ['binaryCE on sigmoid (fused)', () => [new Dense(2, { inputShape: [IN], activation: 'sigmoid' })], () => new BinaryCrossentropy(), 'binary', 2],
    ['binaryCE on probabilities (unfused)', () => [new Dense(2, { inputShape: [IN], activation: 'sigmoid' }), new Activation('linear')], () => new BinaryCrossentropy(), 'binary', 2],
    ['categoricalCE fromLogits', () => [new Dense(4, { inputShape: [IN] })], () => new CategoricalCrossentropy({ fromLogits: true }), 'onehot', 4],
    ['categoricalCE on Dense softmax (fused)', () => [new Dense(4, { inputShape: [IN], activation: 'softmax' })], () => new CategoricalCrossentropy(), 'onehot', 4],
    ['categoricalCE on Softmax layer (fused)', () => [new Dense(4, { inputShape: [IN] }), new Softmax()], () => new CategoricalCrossentropy(), 'onehot', 4],
    ['categoricalCE on probabilities (unfused)', () => [new Dense(4, { inputShape: [IN], activation: 'softmax' }), new Activation('linear')], () => new CategoricalCrossentropy(), 'onehot', 4],
    ['sparseCE fromLogits', () => [new Dense(4, { inputShape: [IN] })], () => new SparseCategoricalCrossentropy({ fromLogits: true }), 'sparse', 4],
    ['sparseCE on softmax (fused)', () => [new Dense(4, { inputShape: [IN], activation: 'softmax' })], () => new SparseCategoricalCrossentropy(), 'sparse', 4],
    ['sparseCE on probabilities (unfused)', () => [new Dense(4, { inputShape: [IN] }), new Softmax(), new Activation('linear')], () => new SparseCategoricalCrossentropy(), 'sparse', 4],
  ];
  for (const [name, layers, loss, kind, d] of cases) it(name, () => { check(layers(), loss(), kind, d); });
  it('mae and huber cases stay away from their kinks (|e| = 0, |e| = delta)', () => {
    for (const delta of [Infinity, 0.5]) {
      const model = new Sequential([new Dense(3, { inputShape: [IN], kernelInitializer: delta === 0.5 ? 'heNormal' : 'glorotUniform' })], { seed: 1 });
      const { x, y } = data(101, 3, 'real');
      const p = model.predict(x).data, t = (y as Tensor).data;
      for (let i = 0; i < p.length; i++) {
        const e = Math.abs(p[i]! - t[i]!);
        expect(e).toBeGreaterThan(1e-3);
        if (delta === 0.5) expect(Math.abs(e - delta)).toBeGreaterThan(1e-3);
      }
    }
  });
});

describe('gradCheck: regularizers and frozen layers', () => {
  it('kernel, bias and activity regularizers (l1l2) are in the loss and the gradient', () => {
    const reg = () => regularizers.l1l2({ l1: 0.01, l2: 0.02 });
    check([new Dense(6, { inputShape: [IN], activation: 'tanh', kernelRegularizer: reg(), biasRegularizer: reg(), activityRegularizer: reg(), biasInitializer: 'randomNormal' }), new Dense(2)], 'mse', 'real', 2);
  });
  it('a frozen first layer gets no gradient and the rest still checks', () => {
    const first = new Dense(6, { inputShape: [IN], activation: 'tanh', trainable: false });
    const r = check([first, new Dense(2)], 'mse', 'real', 2);
    expect(r.perParameter.map((p) => p.name)).toEqual(['dense_1/kernel', 'dense_1/bias']);
    expect(first.kernel.trainable).toBe(false);
  });
  it('a wrong gradient is caught (the check can fail)', () => {
    class Broken extends Dense {
      constructor(units: number, o: DenseOptions = {}) { super(units, o); (this as { className: string }).className = 'Broken'; }
      backwardFromLogits(dz: FloatArray, n: number, ctx: LayerContext, need: boolean) {
        const r = super.backwardFromLogits(dz, n, ctx, need);
        this.kernel.grad.data[0] = this.kernel.grad.data[0]! * 1.001;
        return r;
      }
    }
    registerLayer('Broken', (c, o) => { const { units, ...rest } = c; return new Broken(units as number, { ...rest, ...o } as DenseOptions); });
    const { x, y } = data(3, 3, 'real');
    const r = gradCheck(new Sequential([new Broken(3, { inputShape: [IN] })]), 'mse', x, y);
    expect(r.perParameter[0]!.maxRelError).toBeGreaterThan(5e-4);
    expect(r.perParameter[1]!.maxRelError).toBeLessThan(1e-6);
  });
});

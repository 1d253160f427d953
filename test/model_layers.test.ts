// Layers, initializers and losses against hand-computed values and their documented semantics
// (Keras / PyTorch): BatchNorm running statistics, inverted dropout, RReLU's inference slope, PReLU's
// initial slope, stable softmax, loss formulas, initializer ranges and seeding, freezing, custom layers.
import { describe, expect, it } from 'vitest';
import {
  BatchNorm, BinaryCrossentropy, CategoricalCrossentropy, Dense, Dropout, Huber, Layer, Loss, MeanAbsoluteError, MeanSquaredError,
  PReLU, RReLU, Rng, SGD, Sequential, Softmax, SparseCategoricalCrossentropy, Tensor, backends, gradCheck, initializers, registerLayer,
  Parameter, loadModel, registerLoss, registerMetric, type FloatArray, type LayerContext, type LayerOptions, type Metric,
} from '../lib/index';
import * as os from 'node:os';
import * as path from 'node:path';

const ctx = (training: boolean): LayerContext => ({ be: backends.reference, training, rng: new Rng(5) });
function built<T extends Layer>(l: T, shape: number[], dtype: 'float32' | 'float64' = 'float64'): T { l.build(shape, dtype, new Rng(1)); return l; }

describe('layers', () => {
  it('BatchNorm: PyTorch momentum 0.1 and unbiased running variance; inference uses the running statistics', () => {
    const bn = built(new BatchNorm(), [2]);
    const x = Float64Array.from([1, 10, 3, 20, 5, 60]); // column 0: mean 3, var 8/3 (biased), 4 (unbiased)
    const y = bn.forward(x, 3, ctx(true));
    expect(Array.from(bn.runningMean)).toEqual([0.1 * 3, 0.1 * 30]);
    expect(bn.runningVar[0]).toBeCloseTo(0.9 + 0.1 * 4, 12);
    expect(y[0]).toBeCloseTo((1 - 3) / Math.sqrt(8 / 3 + 1e-5), 12);
    const yi = bn.forward(Float64Array.from([1, 10]), 1, ctx(false));
    expect(yi[0]).toBeCloseTo((1 - 0.3) / Math.sqrt(1.3 + 1e-5), 12);
    expect(() => bn.forward(Float64Array.from([1, 2]), 1, ctx(true))).toThrow(/more than 1 value per feature/);
    const frozen = built(new BatchNorm({ scale: false }), [2]);
    frozen.trainable = false; frozen.trainable = true;
    expect(frozen.gamma.trainable).toBe(false); // created frozen, stays frozen
  });

  it('Dropout: inverted (kept units × 1/(1 − rate)), identity in inference, about `rate` dropped', () => {
    const d = built(new Dropout(0.25), [1000]);
    const x = new Float64Array(4000).fill(2);
    const y = d.forward(x, 4, ctx(true));
    const zeros = y.filter((v) => v === 0).length;
    expect(new Set(y)).toEqual(new Set([0, 2 / 0.75]));
    expect(Math.abs(zeros / 4000 - 0.25)).toBeLessThan(0.03);
    expect(d.forward(x, 4, ctx(false))).toBe(x);
  });

  it('RReLU: slope in [lower, upper] in training, (lower + upper)/2 in inference; PReLU starts at 0.25', () => {
    const r = built(new RReLU({ lower: 0.1, upper: 0.3 }), [500]);
    const x = new Float64Array(500).fill(-1);
    const yt = r.forward(x, 1, ctx(true));
    expect(Math.min(...yt)).toBeGreaterThanOrEqual(-0.3);
    expect(Math.max(...yt)).toBeLessThanOrEqual(-0.1);
    expect(new Set(yt).size).toBeGreaterThan(400);
    expect(r.forward(x, 1, ctx(false))[0]).toBeCloseTo(-0.2, 15);
    const p = built(new PReLU(), [3]);
    expect(Array.from(p.alpha.value.data)).toEqual([0.25, 0.25, 0.25]);
    expect(Array.from(p.forward(Float64Array.from([-2, 0, 3]), 1))).toEqual([-0.5, 0, 3]);
  });

  it('Softmax is stable for large logits and NaN propagates', () => {
    const s = built(new Softmax(), [3]);
    const y = s.forward(Float64Array.from([1000, 1000, -1000, 1, NaN, 0]), 2, ctx(false));
    expect(Array.from(y.subarray(0, 3))).toEqual([0.5, 0.5, 0]);
    expect(y.subarray(3).every(Number.isNaN)).toBe(true);
  });

  it('a frozen layer keeps its weights through fit; summary counts trainable and non-trainable parameters', async () => {
    const first = new Dense(4, { inputShape: [3], activation: 'tanh' });
    const m = new Sequential([first, new Dense(2)], { seed: 3 });
    first.trainable = false;
    m.compile({ optimizer: new SGD(m.parameters(), { lr: 0.1 }), loss: 'mse' });
    const before = first.kernel.value.data.slice(), second = m.layers[1]!.parameters()[0]!.value.data.slice();
    await m.fit(Tensor.uniform([20, 3], -1, 1, new Rng(1)), Tensor.uniform([20, 2], -1, 1, new Rng(2)), { epochs: 2, verbose: 0 });
    expect(first.kernel.value.data).toEqual(before);
    expect(m.layers[1]!.parameters()[0]!.value.data).not.toEqual(second);
    const text = m.summary(() => undefined);
    expect(text).toMatch(/Total params: 26\nTrainable params: 10\nNon-trainable params: 16/);
    expect(() => m.setWeights([])).toThrow('setWeights: expected 4 tensors, got 0');
  });
});

describe('custom layers and losses (the documented contract)', () => {
  /** y = s·x with one learned scalar s: dL/ds = Σ dy·x, dL/dx = s·dy. */
  class Scale extends Layer {
    s!: Parameter;
    private x: FloatArray | null = null;
    constructor(options: LayerOptions = {}) { super('Scale', options); }
    computeOutputShape(shape: readonly number[]) { return shape; }
    protected initWeights() {
      this.s = this.addWeight(new Parameter(Tensor.full([1], 1.5, this.dtype), { name: 's' }));
    }
    forward(x: FloatArray, n: number) {
      const y = this.buffer('y', n, n * this.inputSize), s = this.s.value.data[0]!;
      for (let i = 0; i < n * this.inputSize; i++) y[i] = s * x[i]!;
      this.x = x;
      return y;
    }
    backward(dy: FloatArray, n: number, _c: LayerContext, need: boolean) {
      let g = 0;
      for (let i = 0; i < n * this.inputSize; i++) g += dy[i]! * this.x![i]!;
      this.s.grad.data[0] = this.s.grad.data[0]! + g;
      if (!need) return null;
      const dx = this.buffer('dx', n, n * this.inputSize), s = this.s.value.data[0]!;
      for (let i = 0; i < n * this.inputSize; i++) dx[i] = s * dy[i]!;
      return dx;
    }
    getConfig() { return {}; }
  }
  /** Mean of (p − t)⁴. */
  class Quartic extends Loss {
    constructor() { super('quartic'); }
    compute(p: FloatArray, t: FloatArray, n: number, d: number, w: FloatArray | null, g: FloatArray | null) {
      let s = 0;
      for (let i = 0; i < n; i++) for (let j = i * d; j < (i + 1) * d; j++) {
        const e = p[j]! - t[j]!, wi = w ? w[i]! : 1;
        s += wi * e ** 4 / d;
        if (g) g[j] = wi * 4 * e ** 3 / (d * n);
      }
      return s;
    }
  }
  it('pass gradCheck, train, save and load', async () => {
    registerLayer('Scale', (_c, o) => new Scale(o));
    const m = new Sequential([new Dense(3, { inputShape: [2], activation: 'tanh' }), new Scale(), new Dense(1)], { seed: 2 });
    const x = Tensor.uniform([8, 2], -1, 1, new Rng(3)), y = Tensor.uniform([8, 1], -1, 1, new Rng(4));
    expect(gradCheck(m, new Quartic(), x, y).maxRelError).toBeLessThan(1e-6);
    m.compile({ optimizer: new SGD(m.parameters(), { lr: 0.05 }), loss: new Quartic() });
    const h = await m.fit(x, y, { epochs: 20, verbose: 0 });
    expect(h.history.loss![19]!).toBeLessThan(h.history.loss![0]!);
    const file = path.join(os.tmpdir(), `simdgrad-custom-${process.pid}.sgrd`);
    await m.save(file);
    // Until the custom loss is registered by name, loading says which loss is unknown.
    await expect(loadModel(file)).rejects.toThrow(/unknown loss "quartic".*registerLoss/);
    registerLoss('quartic', () => new Quartic());
    const l = await loadModel(file);
    expect(Array.from(l.predict(x).data)).toEqual(Array.from(m.predict(x).data));
    expect((l.layers[1] as Scale).s.value.data[0]).toBe(m.layers[1]!.parameters()[0]!.value.data[0]);
  });

  /** Largest |prediction − target| seen: a custom streaming metric. */
  class MaxError implements Metric {
    readonly name = 'maxError';
    private m = 0;
    reset() { this.m = 0; }
    update(p: FloatArray, t: FloatArray, n: number, d: number) { for (let i = 0; i < n * d; i++) this.m = Math.max(this.m, Math.abs(p[i]! - t[i]!)); }
    result() { return this.m; }
  }
  it('loadModel customObjects (layer, loss, metric), registerMetric, and { compile: false }', async () => {
    class Scale2 extends Scale { override readonly className = 'Scale2'; }
    const m = new Sequential([new Dense(3, { inputShape: [2] }), new Scale2(), new Dense(1)], { seed: 5 });
    const x = Tensor.uniform([8, 2], -1, 1, new Rng(3)), y = Tensor.uniform([8, 1], -1, 1, new Rng(4));
    class Quartic2 extends Quartic { constructor() { super(); (this as { name: string }).name = 'quartic2'; } }
    m.compile({ optimizer: new SGD(m.parameters(), { lr: 0.05 }), loss: new Quartic2(), metrics: [new MaxError(), 'mae'] });
    await m.fit(x, y, { epochs: 2, verbose: 0 });
    const file = path.join(os.tmpdir(), `simdgrad-custom2-${process.pid}.sgrd`);
    await m.save(file);
    await expect(loadModel(file)).rejects.toThrow(/unknown layer class "Scale2".*customObjects/);
    const layerOnly = { Scale2: (_c: unknown, o: LayerOptions) => new Scale2(o) };
    await expect(loadModel(file, { customObjects: layerOnly })).rejects.toThrow(/unknown loss "quartic2"/);
    const withLoss = { ...layerOnly, quartic2: new Quartic2() };
    await expect(loadModel(file, { customObjects: withLoss })).rejects.toThrow(/metric "maxError", which is not built in: pass it as loadModel\(file, \{ customObjects/);
    // architecture and weights only
    const bare = await loadModel(file, { customObjects: layerOnly, compile: false });
    expect(bare.compiled).toBeNull();
    expect(Array.from(bare.predict(x).data)).toEqual(Array.from(m.predict(x).data));
    // everything through customObjects: evaluate gives the same loss and metrics as the original
    const l = await loadModel(file, { customObjects: { ...withLoss, maxError: () => new MaxError() } });
    expect(l.compiled!.metrics.map((x) => x.name)).toEqual(['maxError', 'mae']);
    expect(l.evaluate(x, y)).toEqual(m.evaluate(x, y));
    // or registered once for the process
    registerMetric('maxError', () => new MaxError());
    const r = await loadModel(file, { customObjects: withLoss });
    expect(r.compiled!.metrics[0]).toBeInstanceOf(MaxError);
    m.compile({ optimizer: new SGD(m.parameters(), { lr: 0.05 }), loss: new Quartic2(), metrics: ['maxError'] });
    expect(m.compiled!.metrics[0]).toBeInstanceOf(MaxError);
    await expect(loadModel(file, { customObjects: { ...withLoss, Scale2: 3 } })).rejects.toThrow(/customObjects\["Scale2"\] must be a layer factory/);
    await expect(loadModel(file, { compile: 'no' as never })).rejects.toThrow(/compile must be a boolean/);
    await expect(loadModel(file, { custom: {} } as never)).rejects.toThrow(/unknown option 'custom'/);
  });
});

describe('losses (hand-computed)', () => {
  const p = Float64Array.from([0.2, 0.7, 0.1, 0.6, 0.3, 0.1]), t = Float64Array.from([0, 1, 0, 0, 0, 1]);
  it('MSE, MAE, Huber: Keras sum_over_batch_size of per-sample means; sample weights divide by n', () => {
    const mse = new MeanSquaredError().compute(p, t, 2, 3, null, null);
    expect(mse / 2).toBeCloseTo(((0.04 + 0.09 + 0.01) / 3 + (0.36 + 0.09 + 0.81) / 3) / 2, 14);
    expect(new MeanAbsoluteError().compute(p, t, 2, 3, Float64Array.from([2, 0]), null) / 2).toBeCloseTo(2 * (0.2 + 0.3 + 0.1) / 3 / 2, 14);
    const h = new Huber({ delta: 0.5 }).compute(Float64Array.from([0, 2]), Float64Array.from([0.4, 0]), 1, 2, null, null);
    expect(h).toBeCloseTo((0.5 * 0.16 + 0.5 * (2 - 0.25)) / 2, 14);
  });
  it('cross-entropies: logits and probabilities agree; sparse equals one-hot; BCE from logits is stable', () => {
    const z = Float64Array.from([2, -1, 0.5, 0, 3, -2]);
    const probs = new Float64Array(6);
    for (let i = 0; i < 2; i++) {
      const e = [0, 1, 2].map((j) => Math.exp(z[i * 3 + j]!)), s = e[0]! + e[1]! + e[2]!;
      e.forEach((v, j) => { probs[i * 3 + j] = v / s; });
    }
    const oneHot = Float64Array.from([1, 0, 0, 0, 0, 1]), labels = Float64Array.from([0, 2]);
    const expected = -Math.log(probs[0]!) - Math.log(probs[5]!);
    expect(new CategoricalCrossentropy({ fromLogits: true }).compute(z, oneHot, 2, 3, null, null)).toBeCloseTo(expected, 12);
    expect(new CategoricalCrossentropy().compute(probs, oneHot, 2, 3, null, null)).toBeCloseTo(expected, 12);
    expect(new SparseCategoricalCrossentropy({ fromLogits: true }).compute(z, labels, 2, 3, null, null)).toBeCloseTo(expected, 12);
    expect(new SparseCategoricalCrossentropy().compute(probs, labels, 2, 3, null, null)).toBeCloseTo(expected, 12);
    const bce = new BinaryCrossentropy({ fromLogits: true }).compute(Float64Array.from([800, -800]), Float64Array.from([0, 1]), 1, 2, null, null);
    expect(bce).toBeCloseTo(800, 10); // (800 + 800) / 2, no overflow
    const clipped = new BinaryCrossentropy().compute(Float64Array.from([1]), Float64Array.from([0]), 1, 1, null, null);
    expect(clipped).toBeCloseTo(-Math.log(1e-7), 6); // Keras epsilon clip
  });
});

describe('fused output activations', () => {
  it('a sigmoid / softmax output with (binary) cross-entropy is computed from the logits, beyond the probability clip', () => {
    for (const [act, loss, target] of [['sigmoid', new BinaryCrossentropy(), [0]], ['softmax', new SparseCategoricalCrossentropy(), [1]]] as const) {
      const d = act === 'sigmoid' ? 1 : 2;
      const m = new Sequential([new Dense(d, { inputShape: [1], activation: act, kernelInitializer: 'zeros',
        biasInitializer: { name: 'constant', config: { value: 0 } } })], { dtype: 'float64' });
      // Logit 50 for the wrong answer: on clipped probabilities the loss would stop at −log(1e-7) ≈ 16.1.
      const dense = m.layers[0] as Dense;
      dense.bias!.value.data.set(act === 'sigmoid' ? [50] : [50, 0]);
      const r = m.lossAndGradients(Float64Array.from([0]), Float64Array.from(target), null, 1, loss);
      expect(dense.logits()).not.toBeNull();
      expect(r.loss).toBeCloseTo(50, 9);
    }
  });
});

describe('initializers', () => {
  const fill = (name: keyof typeof initializers, fanIn: number, fanOut: number, seed = 1, n = 20000) => {
    const a = new Float64Array(n);
    (initializers[name] as () => { fill: (a: Float64Array, i: number, o: number, r: Rng) => void })().fill(a, fanIn, fanOut, new Rng(seed));
    return a;
  };
  const std = (a: Float64Array) => { const m = a.reduce((s, v) => s + v, 0) / a.length; return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length); };
  it('ranges and variances follow Keras (glorot: 2/(in+out), he: 2/in, lecun: 1/in)', () => {
    const g = fill('glorotUniform', 300, 100), limit = Math.sqrt(6 / 400);
    expect(Math.max(...g)).toBeLessThanOrEqual(limit);
    expect(Math.min(...g)).toBeGreaterThanOrEqual(-limit);
    expect(std(g)).toBeCloseTo(Math.sqrt(2 / 400), 2);
    expect(std(fill('heNormal', 200, 10))).toBeCloseTo(Math.sqrt(2 / 200), 2);
    expect(Math.max(...fill('heNormal', 200, 10)) / Math.sqrt(2 / 200)).toBeLessThanOrEqual(2 / 0.87962566103423978 + 1e-9); // truncated at 2σ'
    expect(std(fill('lecunNormal', 50, 10))).toBeCloseTo(Math.sqrt(1 / 50), 2);
    expect(std(fill('glorotNormal', 300, 100))).toBeCloseTo(Math.sqrt(2 / 400), 2);
    expect(fill('zeros', 1, 1, 1, 3)).toEqual(new Float64Array(3));
    expect(fill('ones', 1, 1, 1, 3)).toEqual(new Float64Array(3).fill(1));
  });
  it('seeded: same seed same values; Dense defaults are glorotUniform kernel and zero bias; PyTorch aliases', () => {
    expect(fill('heUniform', 10, 10, 7)).toEqual(fill('heUniform', 10, 10, 7));
    expect(fill('heUniform', 10, 10, 7)).not.toEqual(fill('heUniform', 10, 10, 8));
    const a = new Sequential([new Dense(5, { inputShape: [4] })], { seed: 9 }), b = new Sequential([new Dense(5, { inputShape: [4] })], { seed: 9 });
    expect(a.getWeights()[0]!.data).toEqual(b.getWeights()[0]!.data);
    expect(Array.from(a.getWeights()[1]!.data)).toEqual([0, 0, 0, 0, 0]);
    expect(Math.max(...a.getWeights()[0]!.data.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 9));
    expect(() => new Dense(2, { kernelInitializer: 'kaimingNormal' })).not.toThrow();
    expect(() => new Dense(2, { kernelInitializer: 'orthogonal' as never })).toThrow(/unknown initializer "orthogonal"/);
  });
});

// fit / evaluate / predict / trainOnBatch: batch semantics, event-loop yielding, abort, concurrency,
// determinism, schedulers, sample and class weights, bad-input errors, native vs reference agreement.
import { describe, expect, it } from 'vitest';
import {
  Adam, Callback, Dense, Dropout, ReduceLROnPlateau, Rng, SGD, Sequential, StepLR, Tensor, backends, setBackend, type Logs,
} from '../lib/index';

/** Two Gaussian blobs per class in 4-D, 3 classes: a seeded, learnable problem. */
function blobs(n: number, seed = 7) {
  const rng = new Rng(seed), x = new Float32Array(n * 4), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    y[i] = c;
    for (let j = 0; j < 4; j++) x[i * 4 + j] = rng.normal(j === c ? 2 : 0, 0.7);
  }
  return { x, y };
}

function mlp(seed = 1, dropout = 0) {
  const layers = [new Dense(16, { inputShape: [4], activation: 'relu' }), ...(dropout > 0 ? [new Dropout(dropout)] : []),
    new Dense(3, { activation: 'softmax' })];
  const m = new Sequential(layers, { seed });
  m.compile({ optimizer: new Adam(m.parameters(), { lr: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

class Recorder extends Callback {
  events: string[] = [];
  sizes: number[] = [];
  onTrainBegin() { this.events.push('trainBegin'); }
  onEpochBegin(e: number) { this.events.push(`epochBegin${e}`); }
  onBatchBegin(_b: number, logs?: Logs) { this.sizes.push(logs!.size!); }
  onEpochEnd(e: number) { this.events.push(`epochEnd${e}`); }
  onTrainEnd() { this.events.push('trainEnd'); }
}

describe('fit', () => {
  it('learns, returns a per-epoch History with val_ keys, hooks in Keras order', async () => {
    const { x, y } = blobs(300);
    const m = mlp(), rec = new Recorder();
    const h = await m.fit(x, y, { epochs: 4, batchSize: 32, validationSplit: 0.2, verbose: 0, callbacks: [rec], seed: 1, recordBatches: true });
    expect(h.batches.length).toBe(4 * 8);
    expect(h.batches[7]!.loss).toBe(h.history.loss![0]); // the epoch's loss is the running mean at its last batch
    expect(Object.keys(h.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    expect(h.history.loss!.length).toBe(4);
    expect(h.history.loss![3]!).toBeLessThan(h.history.loss![0]!);
    expect(h.history.val_accuracy![3]!).toBeGreaterThan(0.9);
    expect(rec.events).toEqual(['trainBegin', 'epochBegin0', 'epochEnd0', 'epochBegin1', 'epochEnd1', 'epochBegin2', 'epochEnd2', 'epochBegin3', 'epochEnd3', 'trainEnd']);
    expect(rec.sizes.slice(0, 8)).toEqual([32, 32, 32, 32, 32, 32, 32, 16]); // 240 training samples
  });

  it('batchSize 1 is SGD (n steps), batchSize >= n is full batch (1 step), last partial batch has the remainder', async () => {
    const { x, y } = blobs(10);
    for (const [bs, sizes] of [[1, Array(10).fill(1)], [10, [10]], [64, [10]], [4, [4, 4, 2]]] as const) {
      const rec = new Recorder();
      await mlp().fit(x, y, { epochs: 1, batchSize: bs, verbose: 0, callbacks: [rec] });
      expect(rec.sizes).toEqual(sizes);
    }
  });

  it('the last partial batch gives the same gradient step as trainOnBatch on those samples', async () => {
    const { x, y } = blobs(10);
    const a = mlp(3), b = mlp(3);
    await a.fit(x, y, { epochs: 1, batchSize: 6, shuffle: false, verbose: 0 });
    b.trainOnBatch(x.subarray(0, 24), y.subarray(0, 6));
    b.trainOnBatch(x.subarray(24), y.subarray(6));
    expect(a.getWeights().map((t) => Array.from(t.data))).toEqual(b.getWeights().map((t) => Array.from(t.data)));
  });

  it('yields to the event loop between batches', async () => {
    const { x, y } = blobs(200);
    // A callback that re-queues itself runs once per event-loop turn (a timer would depend on the clock):
    // 400 batches that each yield give it about 400 turns; a fit that never yields gives it none.
    let ticks = 0, done = false;
    const tick = () => { ticks++; if (!done) setImmediate(tick); };
    setImmediate(tick);
    await mlp().fit(x, y, { epochs: 2, batchSize: 1, verbose: 0 });
    done = true;
    expect(ticks).toBeGreaterThan(300);
  });

  it('stops on an AbortSignal and refuses a concurrent fit', async () => {
    const { x, y } = blobs(300);
    const m = mlp(), ac = new AbortController(), rec = new Recorder();
    const running = m.fit(x, y, { epochs: 5, batchSize: 10, verbose: 0, signal: ac.signal, callbacks: [rec] });
    await expect(m.fit(x, y, { verbose: 0 })).rejects.toThrow(/already training/);
    expect(() => m.trainOnBatch(x, y)).toThrow(/training in fit/);
    setImmediate(() => ac.abort());
    const h = await running;
    expect(h.stopReason).toBe('aborted');
    expect(rec.sizes.length).toBeLessThan(30);
    expect(m.isFitting).toBe(false);
    await m.fit(x, y, { epochs: 1, verbose: 0 }); // usable again
  });

  it('same seed → bit-identical training (weights and losses), with dropout and shuffling', async () => {
    const { x, y } = blobs(200);
    const run = async () => {
      const m = mlp(5, 0.3);
      const h = await m.fit(x, y, { epochs: 3, batchSize: 16, seed: 42, verbose: 0 });
      return { w: m.getWeights().map((t) => Array.from(t.data)), loss: h.history.loss };
    };
    const a = await run(), b = await run();
    expect(b.w).toEqual(a.w);
    expect(b.loss).toEqual(a.loss);
    const m = mlp(5, 0.3);
    await m.fit(x, y, { epochs: 3, batchSize: 16, seed: 43, verbose: 0 });
    expect(m.getWeights().map((t) => Array.from(t.data))).not.toEqual(a.w);
  });

  it('steps a scheduler per epoch or per batch, and ReduceLROnPlateau with val_loss', async () => {
    const { x, y } = blobs(40);
    const m = mlp();
    const opt = m.compiled!.optimizer;
    await m.fit(x, y, { epochs: 3, batchSize: 10, verbose: 0, scheduler: new StepLR(opt, { stepSize: 1, gamma: 0.5 }) });
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.01 / 8, 12);
    const m2 = mlp();
    const opt2 = m2.compiled!.optimizer;
    await m2.fit(x, y, { epochs: 1, batchSize: 10, verbose: 0, scheduler: new StepLR(opt2, { stepSize: 2, gamma: 0.1 }), schedulerInterval: 'batch' });
    expect(opt2.paramGroups[0]!.lr).toBeCloseTo(0.01 * 0.01, 12); // 4 batches → 2 decays
    const m3 = mlp();
    const plateau = new ReduceLROnPlateau(m3.compiled!.optimizer, { patience: 0, factor: 0.5 });
    await m3.fit(x, y, { epochs: 2, verbose: 0, validationSplit: 0.25, scheduler: plateau });
    expect(plateau.best).toBeLessThan(Infinity);
  });

  it('classWeight equals the matching sampleWeight; zero weights remove samples from the gradient', () => {
    const { x, y } = blobs(12);
    const a = mlp(2), b = mlp(2);
    const la = a.trainOnBatch(x, y, { classWeight: { 0: 3, 2: 0.5 } });
    const lb = b.trainOnBatch(x, y, { sampleWeight: Array.from(y, (c) => (c === 0 ? 3 : c === 2 ? 0.5 : 1)) });
    expect(la.loss).toBe(lb.loss);
    expect(a.getWeights().map((t) => Array.from(t.data))).toEqual(b.getWeights().map((t) => Array.from(t.data)));
    const c = mlp(2), d = mlp(2);
    const keep = [0, 1, 2, 3, 4, 5];
    c.compile({ optimizer: new SGD(c.parameters(), { lr: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
    d.compile({ optimizer: new SGD(d.parameters(), { lr: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
    // Keras divides by the batch size, not by Σw: weights 2 on 6 of 12 samples = the 6 samples alone.
    c.trainOnBatch(x, y, { sampleWeight: Array.from({ length: 12 }, (_, i) => (keep.includes(i) ? 2 : 0)) });
    d.trainOnBatch(x.subarray(0, 24), y.subarray(0, 6));
    const wc = c.getWeights(), wd = d.getWeights();
    wc.forEach((t, i) => t.data.forEach((v, j) => expect(v).toBeCloseTo(wd[i]!.data[j]!, 6)));
  });
});

describe('evaluate / predict / trainOnBatch', () => {
  it('predict is batched: any batch size gives the same outputs; evaluate matches a manual computation', async () => {
    const { x, y } = blobs(70);
    const m = mlp();
    await m.fit(x, y, { epochs: 2, verbose: 0 });
    const p1 = m.predict(x, { batchSize: 7 }), p2 = m.predict(x, { batchSize: 1000 });
    expect(p1.shape).toEqual([70, 3]);
    expect(Array.from(p1.data)).toEqual(Array.from(p2.data));
    const r = m.evaluate(x, y, { batchSize: 9 });
    let nll = 0, correct = 0;
    for (let i = 0; i < 70; i++) {
      const row = Array.from(p1.data.subarray(i * 3, i * 3 + 3));
      nll -= Math.log(row[y[i]!]!);
      if (row.indexOf(Math.max(...row)) === y[i]) correct++;
    }
    expect(r.loss).toBeCloseTo(nll / 70, 4);
    expect(r.accuracy).toBe(correct / 70);
  });
});

describe('clear errors for bad input', () => {
  const { x, y } = blobs(12);
  it('names what was expected', async () => {
    const m = mlp();
    await expect(m.fit(x, y.subarray(0, 11), { verbose: 0 })).rejects.toThrow('fit: x has 12 samples but y has 11');
    await expect(m.fit(Tensor.zeros([12, 5]), y, { verbose: 0 })).rejects.toThrow('fit: x has 5 features per sample, the model expects 4 (inputShape [4])');
    await expect(m.fit(x, Int32Array.from(y, (v) => v + 1), { verbose: 0 })).rejects.toThrow(/label y\[\d+\] = 3 is out of range; expected an integer class in \[0, 2\]/);
    const bad = x.slice(); bad[5] = NaN;
    await expect(m.fit(bad, y, { verbose: 0 })).rejects.toThrow('fit: x[1] feature 1 is NaN; inputs must be finite numbers');
    await expect(m.fit([], [], { verbose: 0 })).rejects.toThrow('fit: x has no samples');
    expect(m.predict([]).shape).toEqual([0, 3]);
    await expect(m.fit(x, y, { epoch: 3 } as never)).rejects.toThrow("fit: unknown option 'epoch' (known: epochs, batchSize");
    const raw = new Sequential([new Dense(3, { inputShape: [4] })]);
    await expect(raw.fit(x, y)).rejects.toThrow('fit: the model is not compiled; call model.compile({ optimizer, loss }) first');
    expect(() => raw.predict(Tensor.zeros([2, 3]))).toThrow('predict: x has 3 features per sample, the model expects 4');
    expect(() => raw.compile({ optimizer: 'adamx', loss: 'mse' })).toThrow(/unknown optimizer 'adamx'/);
    expect(() => raw.compile({ optimizer: 'adam', loss: 'mse', metric: [] } as never)).toThrow("compile: unknown option 'metric'");
    expect(() => raw.compile({ optimizer: new Adam(mlp().parameters()), loss: 'mse' })).toThrow(/does not hold 2 of the model's trainable parameters/);
    expect(() => raw.compile({ optimizer: 'adam', loss: 'crossEntropy' })).toThrow(/unknown loss "crossEntropy"/);
    expect(() => new Dense(3, { activaton: 'relu' } as never)).toThrow("Dense: unknown option 'activaton'");
    expect(() => new Dense(3, { activation: 'swish' as never })).toThrow(/unknown activation "swish"/);
    expect(() => new Sequential([new Dense(3)])).toThrow(/first layer \(Dense\) needs an inputShape/);
    raw.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    await expect(raw.fit(x, y, { verbose: 0 })).rejects.toThrow(/y looks like class labels: use loss 'sparseCategoricalCrossentropy'/);
  });
});

describe('native and reference backends agree', () => {
  it.skipIf(backends.native === null)('3 epochs of the same seeded MLP: losses equal to 1e-4 relative', async () => {
    const { x, y } = blobs(600);
    const losses: number[][] = [];
    for (const be of ['native', 'reference'] as const) {
      setBackend(be);
      try {
        const m = new Sequential([new Dense(32, { inputShape: [4], activation: 'relu' }), new Dropout(0.2), new Dense(16, { activation: 'tanh' }), new Dense(3, { activation: 'softmax' })], { seed: 9 });
        m.compile({ optimizer: new Adam(m.parameters(), { lr: 3e-3 }), loss: 'sparseCategoricalCrossentropy' });
        losses.push((await m.fit(x, y, { epochs: 3, batchSize: 32, seed: 4, verbose: 0 })).history.loss!);
      } finally { setBackend('native'); }
    }
    losses[0]!.forEach((l, i) => expect(Math.abs(l - losses[1]![i]!) / Math.abs(losses[1]![i]!)).toBeLessThan(1e-4));
  });
});

// Model training on this process's ISA vs the reference backend (issue 6: 3 epochs of the same seeded MLP
// give losses equal to 1e-4 relative), with every Dense activation that runs fused in sgemmBiasAct,
// dropout, BatchNorm and a fused softmax cross-entropy; and prediction agreement after training.
import { describe, expect, it } from 'vitest';
import { Adam, BatchNorm, Dense, Dropout, Rng, Sequential, backendInfo, setBackend } from '../../lib/index';

const isa = process.env.SIMDGRAD_ISA!;

function data(n: number) {
  const rng = new Rng(21), x = new Float32Array(n * 12), y = new Int32Array(n);
  for (let i = 0; i < n; i++) { y[i] = i % 5; for (let j = 0; j < 12; j++) x[i * 12 + j] = rng.normal(j % 5 === y[i] ? 1.5 : 0, 1); }
  return { x, y };
}

async function train(be: 'native' | 'reference') {
  setBackend(be);
  try {
    const m = new Sequential([
      new Dense(40, { inputShape: [12], activation: 'relu' }), new Dropout(0.2),
      new Dense(24, { activation: 'leakyRelu' }), new BatchNorm(),
      new Dense(16, { activation: 'gelu' }), new Dense(16, { activation: 'tanh' }), new Dense(8, { activation: 'sigmoid' }),
      new Dense(5, { activation: 'softmax' }),
    ], { seed: 8 });
    m.compile({ optimizer: new Adam(m.parameters(), { lr: 3e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const { x, y } = data(400);
    const h = await m.fit(x, y, { epochs: 3, batchSize: 32, seed: 2, verbose: 0, validationSplit: 0.25 });
    return { loss: h.history.loss!, valLoss: h.history.val_loss!, pred: m.predict(x.subarray(0, 12 * 20)).data };
  } finally {
    setBackend('native');
  }
}

describe(`model training, native ${isa} vs reference`, () => {
  it('runs on the requested ISA', () => {
    expect(backendInfo().isa).toBe(isa);
  });
  it('3 epochs: training and validation losses equal to 1e-4 relative; predictions close', async () => {
    const nat = await train('native'), ref = await train('reference');
    nat.loss.forEach((l, i) => expect(Math.abs(l - ref.loss[i]!) / ref.loss[i]!, `epoch ${i} loss ${l} vs ${ref.loss[i]}`).toBeLessThan(1e-4));
    nat.valLoss.forEach((l, i) => expect(Math.abs(l - ref.valLoss[i]!) / ref.valLoss[i]!, `epoch ${i} val_loss`).toBeLessThan(1e-4));
    nat.pred.forEach((p, i) => expect(Math.abs(p - ref.pred[i]!), `prediction ${i}`).toBeLessThan(1e-4));
  });
});

// Callbacks (EarlyStopping, TerminateOnNaN, CSVLogger, ModelCheckpoint), progress output and metrics
// against hand-computed values.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Adam, CSVLogger, Dense, EarlyStopping, ModelCheckpoint, Rng, SGD, Sequential, TerminateOnNaN, classificationReport,
  confusionMatrix, loadModel,
} from '../lib/index';
import { ProgressLogger } from '../lib/train/progress';
import { getMetric } from '../lib/train/metrics';

function data(n: number) {
  const rng = new Rng(3), x = new Float32Array(n * 2), y = new Float32Array(n);
  for (let i = 0; i < n; i++) { x[2 * i] = rng.normal(); x[2 * i + 1] = rng.normal(); y[i] = 3 * x[2 * i]! - x[2 * i + 1]! + 0.5; }
  return { x, y };
}
function regressor(lr = 0.05) {
  const m = new Sequential([new Dense(8, { inputShape: [2], activation: 'tanh' }), new Dense(1)], { seed: 2 });
  m.compile({ optimizer: new Adam(m.parameters(), { lr }), loss: 'meanSquaredError', metrics: ['mae', 'r2'] });
  return m;
}
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'simdgrad-cb-'));

describe('callbacks', () => {
  it('EarlyStopping stops after `patience` epochs without improvement and restores the best weights', async () => {
    const { x, y } = data(100);
    const m = regressor(0.05);
    // A validation set the model cannot fit gets worse while training fits noise: improvement stops early.
    const vx = new Float32Array(40).map((_, i) => (i % 2 ? 5 : -5)), vy = new Float32Array(20).map((_, i) => (i % 3 ? 40 : -40));
    const es = new EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
    let bestWeights: Float32Array[] = [];
    const h = await m.fit(x, y, { epochs: 50, batchSize: 10, verbose: 0, validationData: [vx, vy], callbacks: [es] });
    const vl = h.history.val_loss!;
    const best = vl.indexOf(Math.min(...vl));
    expect(es.bestEpoch).toBe(best);
    expect(vl.length).toBe(best + 3); // stopped after 2 epochs without improvement
    expect(h.stopReason).toBe('callback');
    bestWeights = m.getWeights().map((t) => t.data as Float32Array);
    expect(m.evaluate(vx, vy).loss).toBeCloseTo(vl[best]!, 3);
    expect(bestWeights.length).toBe(4);
  });

  it('EarlyStopping names the missing monitor', async () => {
    const { x, y } = data(20);
    await expect(regressor().fit(x, y, { epochs: 2, verbose: 0, callbacks: [new EarlyStopping()] }))
      .rejects.toThrow(/monitor 'val_loss' is not in the logs \(available: loss, mae, r2\); val_\* keys need validationSplit or validationData/);
  });

  it('TerminateOnNaN stops on a diverging loss and suggests scaling or a lower learning rate', async () => {
    const { x, y } = data(50);
    const big = x.map((v) => v * 1e18);
    const m = regressor();
    m.compile({ optimizer: new SGD(m.parameters(), { lr: 10 }), loss: 'mse' });
    const lines: string[] = [];
    const t = new TerminateOnNaN((l) => lines.push(l));
    const h = await m.fit(big, y, { epochs: 5, batchSize: 5, verbose: 0, callbacks: [t] });
    expect(h.stopReason).toBe('callback');
    expect(lines[0]).toMatch(/invalid loss (NaN|Infinity), terminating training\. Scale the inputs .* or lower the learning rate/);
  });

  it('CSVLogger writes a header and one row per epoch; ModelCheckpoint saves loadable models', async () => {
    const dir = tmp(), csv = path.join(dir, 'log.csv');
    const { x, y } = data(40);
    const m = regressor();
    const ck = new ModelCheckpoint(path.join(dir, 'm-{epoch:02d}.sgrd'), { monitor: 'loss', saveBestOnly: true });
    const h = await m.fit(x, y, { epochs: 3, verbose: 0, callbacks: [new CSVLogger(csv), ck] });
    const rows = fs.readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('epoch,loss,mae,r2');
    expect(rows.length).toBe(4);
    expect(Number(rows[3]!.split(',')[1])).toBe(h.history.loss![2]);
    expect(ck.saved).toEqual([1, 2, 3].map((e) => path.join(dir, `m-0${e}.sgrd`)));
    const loaded = await loadModel(ck.saved[2]!);
    expect(Array.from(loaded.predict(x).data)).toEqual(Array.from(m.predict(x).data));
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('progress output', () => {
  const fakeStream = (tty: boolean) => {
    const out: string[] = [];
    return { out, stream: { isTTY: tty, write: (s: string) => { out.push(s); return true; }, columns: 100,
      cursorTo: () => true, clearLine: () => true, moveCursor: () => true, on: () => undefined, removeListener: () => undefined } as unknown as NodeJS.WriteStream };
  };
  it('plain lines when not a TTY, a cli-progress bar on a TTY, nothing with verbose 0', async () => {
    const { x, y } = data(40);
    const plain = fakeStream(false);
    await regressor().fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [new ProgressLogger(1, plain.stream)] });
    expect(plain.out).toHaveLength(2);
    expect(plain.out[0]).toMatch(/^Epoch 1\/2 - \d+\.\ds - loss: \d+\.\d{4} - mae: \d+\.\d{4} - r2: -?\d+\.\d{4}\n$/);
    const tty = fakeStream(true);
    await regressor().fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [new ProgressLogger(1, tty.stream)] });
    const text = tty.out.join('');
    expect(text).toMatch(/Epoch 1\/1 \|.*\| 5\/5 \| ETA/);
    expect(text).toMatch(/loss: \d+\.\d{4}/);
    const lines = fakeStream(true);
    await regressor().fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [new ProgressLogger(2, lines.stream)] });
    expect(lines.out).toHaveLength(2); // verbose 2: one line per epoch even on a TTY
    expect(lines.out[1]).toMatch(/^Epoch 2\/2 - /);
  });

  it('verbose 0 writes nothing; the default (1) writes a line per epoch to stdout when it is not a TTY', async () => {
    const { x, y } = data(16);
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => { written.push(String(s)); return true; }) as typeof process.stdout.write;
    try {
      await regressor().fit(x, y, { epochs: 2, verbose: 0 });
      expect(written).toEqual([]);
      if (!process.stdout.isTTY) {
        await regressor().fit(x, y, { epochs: 2 });
        expect(written.filter((l) => l.startsWith('Epoch '))).toHaveLength(2);
      }
    } finally {
      process.stdout.write = write;
    }
  });
});

describe('metrics', () => {
  const yTrue = [0, 0, 1, 1, 2, 2, 2, 1], yPred = [0, 1, 1, 1, 2, 0, 2, 2];
  it('confusion matrix and per-class / macro precision, recall, F1 (hand-computed)', () => {
    expect(confusionMatrix(yTrue, yPred, 3)).toEqual([[1, 1, 0], [0, 2, 1], [1, 0, 2]]);
    const r = classificationReport(yTrue, yPred, 3);
    expect(r.perClass.map((c) => c.precision)).toEqual([0.5, 2 / 3, 2 / 3]);
    expect(r.perClass.map((c) => c.recall)).toEqual([0.5, 2 / 3, 2 / 3]);
    expect(r.macro.f1).toBeCloseTo((0.5 + 2 / 3 + 2 / 3) / 3, 12);
    expect(r.accuracy).toBe(5 / 8);
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow('confusionMatrix: yTrue[1] = 3, expected an integer in [0, 2]');
  });
  it('streaming metrics over one-hot, sparse and binary outputs, and regression metrics', () => {
    const oneHot = (ys: number[]) => Float64Array.from(ys.flatMap((c) => [0, 1, 2].map((j) => (j === c ? 1 : 0))));
    const pred = Float64Array.from(yPred.flatMap((c) => [0, 1, 2].map((j) => (j === c ? 0.8 : 0.1))));
    const run = (name: string, target: Float64Array, sparse: boolean) => {
      const m = getMetric('t', name, 'x');
      m.update(pred.subarray(0, 12), target.subarray(0, sparse ? 4 : 12), 4, 3, sparse);
      m.update(pred.subarray(12), target.subarray(sparse ? 4 : 12), 4, 3, sparse);
      return m.result();
    };
    expect(run('accuracy', Float64Array.from(yTrue), true)).toBe(5 / 8);
    expect(run('accuracy', oneHot(yTrue), false)).toBe(5 / 8);
    expect(run('f1', Float64Array.from(yTrue), true)).toBeCloseTo((0.5 + 2 / 3 + 2 / 3) / 3, 12);
    const bin = getMetric('t', 'accuracy', 'binaryCrossentropy');
    bin.update(Float64Array.from([0.9, 0.2, 0.6, 0.4]), Float64Array.from([1, 0, 0, 0]), 4, 1, false);
    expect(bin.name).toBe('accuracy'); // the log key the user asked for, computed as binary accuracy
    expect(bin.result()).toBe(0.75);
    const prec = getMetric('t', 'precision', 'binaryCrossentropy'), rec = getMetric('t', 'recall', 'binaryCrossentropy');
    for (const m of [prec, rec]) m.update(Float64Array.from([0.9, 0.7, 0.6, 0.1]), Float64Array.from([1, 0, 1, 1]), 4, 1, false);
    expect(prec.result()).toBe(2 / 3);
    expect(rec.result()).toBe(2 / 3);
    const p = Float64Array.from([1, 2, 4]), t = Float64Array.from([1, 3, 2]);
    const vals = ['mse', 'mae', 'r2'].map((n) => { const m = getMetric('t', n, 'mse'); m.update(p, t, 3, 1, false); return m.result(); });
    expect(vals[0]).toBeCloseTo(5 / 3, 12);
    expect(vals[1]).toBe(1);
    expect(vals[2]).toBeCloseTo(1 - 5 / 2, 12); // SS_tot = 2
  });
});

// model.save / loadModel and the SGRD container: round trips (weights, BatchNorm statistics, optimizer
// state, scaler, scheduler), exact resumption, atomic writes, and clear errors for damaged files.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Adam, BatchNorm, CosineDecay, Dense, Dropout, PReLU, Rng, Sequential, StandardScaler, StepLR, Tensor, loadModel } from '../lib/index';
import { crc32 } from '../lib/model/crc32';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simdgrad-io-'));
function data(n: number) {
  const rng = new Rng(11), x = new Float32Array(n * 6), y = new Int32Array(n);
  for (let i = 0; i < n; i++) { for (let j = 0; j < 6; j++) x[i * 6 + j] = rng.normal(); y[i] = x[i * 6]! + x[i * 6 + 1]! > 0 ? 1 : 0; }
  return { x, y };
}
function model() {
  const m = new Sequential([new Dense(12, { inputShape: [6] }), new BatchNorm(), new PReLU(), new Dropout(0.2), new Dense(2, { activation: 'softmax' })], { seed: 4 });
  m.compile({ optimizer: new Adam(m.parameters(), { lr: 0.01, weightDecay: 1e-4 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}
const weights = (m: Sequential) => m.getWeights().map((t) => Array.from(t.data));

describe('save / loadModel', () => {
  it('CRC-32 golden value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('round trip: architecture, weights, running statistics, predictions bit-identical; extras restored', async () => {
    const { x, y } = data(64);
    const m = model();
    const sched = new StepLR(m.compiled!.optimizer, { stepSize: 1, gamma: 0.9 });
    await m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, scheduler: sched });
    const scaler = new StandardScaler().fit(Tensor.fromArray(x, [64, 6]));
    const file = path.join(dir, 'a.sgrd');
    await m.save(file, { scheduler: sched, scaler });
    const l = await loadModel(file);
    expect(l.layers.map((x) => x.className)).toEqual(['Dense', 'BatchNorm', 'PReLU', 'Dropout', 'Dense']);
    expect(weights(l)).toEqual(weights(m));
    expect(Array.from(l.predict(x).data)).toEqual(Array.from(m.predict(x).data));
    expect(l.compiled!.optimizer.paramGroups[0]!.lr).toBe(m.compiled!.optimizer.paramGroups[0]!.lr);
    expect((l.loaded.scheduler as { lastEpoch: number }).lastEpoch).toBe(2);
    expect(l.loaded.scaler!.toJSON()).toEqual(scaler.toJSON());
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('with the optimizer, a loaded model continues training exactly like the original', async () => {
    const { x, y } = data(64);
    const m = model();
    await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, seed: 1 });
    await m.save(path.join(dir, 'b.sgrd'));
    const l = await loadModel(path.join(dir, 'b.sgrd'));
    await m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, seed: 2 });
    await l.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, seed: 2 });
    expect(weights(l)).toEqual(weights(m));
    await m.save(path.join(dir, 'c.sgrd'), { includeOptimizer: false });
    const fresh = await loadModel(path.join(dir, 'c.sgrd'));
    expect(fresh.compiled!.optimizer.constructor.name).toBe('Adam');
    expect(fresh.compiled!.optimizer.iterations).toBe(0);
    expect((fresh.compiled!.optimizer.paramGroups[0] as unknown as { weightDecay: number }).weightDecay).toBe(1e-4);
  });

  it('a Keras schedule given as lr is saved and rebuilt; training resumes on the same learning rates', async () => {
    const { x, y } = data(64);
    const m = new Sequential([new Dense(8, { inputShape: [6], activation: 'relu' }), new Dense(2)], { seed: 5 });
    const schedule = new CosineDecay({ initialLearningRate: 0.05, decaySteps: 20, alpha: 0.1, warmupTarget: 0.1, warmupSteps: 3 });
    m.compile({ optimizer: new Adam(m.parameters(), { lr: schedule }), loss: 'sparseCategoricalCrossentropy' });
    await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, seed: 1 });
    await m.save(path.join(dir, 'sched.sgrd'));
    const l = await loadModel(path.join(dir, 'sched.sgrd'));
    const lr = l.compiled!.optimizer.paramGroups[0]!.lr;
    expect(lr).toBeInstanceOf(CosineDecay);
    expect((lr as CosineDecay).getConfig()).toEqual(schedule.getConfig());
    expect(l.compiled!.optimizer.iterations).toBe(m.compiled!.optimizer.iterations);
    await m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, seed: 2 });
    await l.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, seed: 2 });
    expect(weights(l)).toEqual(weights(m));
  });

  it('truncated, corrupted, wrong-version and foreign files are clear errors', async () => {
    const m = model();
    const file = path.join(dir, 'd.sgrd');
    await m.save(file);
    const good = fs.readFileSync(file);
    const write = (name: string, bytes: Uint8Array) => { const f = path.join(dir, name); fs.writeFileSync(f, bytes); return f; };
    await expect(loadModel(write('t1', good.subarray(0, good.length - 10)))).rejects.toThrow(/file is truncated \(expected \d+ bytes, found \d+\)/);
    await expect(loadModel(write('t2', good.subarray(0, 30)))).rejects.toThrow(/file is truncated/);
    await expect(loadModel(write('t3', good.subarray(0, 8)))).rejects.toThrow(/file is truncated/);
    const flipped = Buffer.from(good); flipped[flipped.length - 40] = flipped[flipped.length - 40]! ^ 0x10;
    await expect(loadModel(write('c1', flipped))).rejects.toThrow(/file is corrupted \(CRC-32 mismatch/);
    const hdr = Buffer.from(good); hdr[20] = hdr[20]! ^ 0x01;
    await expect(loadModel(write('c2', hdr))).rejects.toThrow(/file is corrupted/);
    const v2 = Buffer.from(good); v2.writeUInt32LE(2, 4);
    await expect(loadModel(write('v2', v2))).rejects.toThrow(/format version 2 is not supported; this simdgrad reads version 1/);
    await expect(loadModel(write('png', Buffer.from('\x89PNG\r\n\x1a\n0000000000')))).rejects.toThrow(/not a simdgrad model file/);
    await expect(loadModel(path.join(dir, 'missing.sgrd'))).rejects.toThrow(/ENOENT/);
  });

  it('a failed write leaves no file behind', async () => {
    const m = model();
    await expect(m.save(path.join(dir, 'no-such-dir', 'x.sgrd'))).rejects.toThrow(/ENOENT/);
    expect(fs.existsSync(path.join(dir, 'no-such-dir'))).toBe(false);
  });
});

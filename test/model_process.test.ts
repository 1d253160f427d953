// Whole-process properties of training, each in a fresh child Node against a compiled copy of lib/
// (.test-dist-memory/, beside build/ so the addon is found): memory stays flat (after a warm-up epoch, 200
// more epochs grow the heap by < 2 MB and RSS by < 20 MB; needs `node --expose-gc`, which vitest's workers
// cannot take), and two separate processes with the same seed train bit-identically.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, '.test-dist-memory');

beforeAll(() => {
  fs.rmSync(outDir, { recursive: true, force: true });
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', outDir],
    { cwd: root, stdio: 'pipe' });
}, 60_000);

const script = `
const s = require(${JSON.stringify(outDir)});
(async () => {
  const rng = new s.Rng(1), n = 512, x = new Float32Array(n * 20), y = new Int32Array(n);
  for (let i = 0; i < n; i++) { y[i] = i % 3; for (let j = 0; j < 20; j++) x[i * 20 + j] = rng.normal(j === y[i] ? 1 : 0, 1); }
  const m = new s.Sequential([new s.Dense(32, { inputShape: [20], activation: 'relu' }), new s.Dropout(0.2),
    new s.BatchNorm(), new s.Dense(3, { activation: 'softmax' })], { seed: 1 });
  m.compile({ optimizer: new s.Adam(m.parameters()), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const opts = { batchSize: 48, verbose: 0, validationSplit: 0.1 };
  // One fit of 201 epochs: measured after the warm-up epoch and at the end (gc first each time).
  let before = null, after = null;
  class Meter extends s.Callback {
    onEpochEnd(epoch) { if (epoch === 0) { for (let i = 0; i < 3; i++) global.gc(); before = process.memoryUsage(); } }
    onTrainEnd() { for (let i = 0; i < 3; i++) global.gc(); after = process.memoryUsage(); }
  }
  await m.fit(x, y, { ...opts, epochs: 201, callbacks: [new Meter()] });
  console.log(JSON.stringify({ heap: after.heapUsed - before.heapUsed, rss: after.rss - before.rss }));
})();`;

it('200 epochs after a warm-up: heap grows < 2 MB, RSS < 20 MB', () => {
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', env: { ...process.env, SIMDGRAD_ISA: '' } });
  expect(r.stderr).toBe('');
  const { heap, rss } = JSON.parse(r.stdout) as { heap: number; rss: number };
  console.log(`heap +${(heap / 1e6).toFixed(3)} MB, rss +${(rss / 1e6).toFixed(3)} MB`);
  expect(heap).toBeLessThan(2e6);
  expect(rss).toBeLessThan(20e6);
}, 120_000);

const training = `
const s = require(${JSON.stringify(outDir)});
const crypto = require('node:crypto');
(async () => {
  const rng = new s.Rng(3), n = 300, x = new Float32Array(n * 10), y = new Int32Array(n);
  for (let i = 0; i < n; i++) { y[i] = i % 4; for (let j = 0; j < 10; j++) x[i * 10 + j] = rng.normal(j === y[i] ? 1 : 0, 1); }
  const m = new s.Sequential([new s.Dense(64, { inputShape: [10], activation: 'gelu' }), new s.Dropout(0.3), new s.RReLU(),
    new s.BatchNorm(), new s.Dense(4, { activation: 'softmax' })], { seed: 11 });
  m.compile({ optimizer: new s.AdamW(m.parameters(), { lr: 3e-3 }), loss: 'sparseCategoricalCrossentropy' });
  const h = await m.fit(x, y, { epochs: 4, batchSize: 25, seed: 5, verbose: 0 });
  const hash = crypto.createHash('sha256');
  for (const w of m.getWeights()) hash.update(new Uint8Array(w.data.buffer));
  console.log(JSON.stringify({ hash: hash.digest('hex'), loss: h.history.loss, info: s.backendInfo() }));
})();`;

it('same seed, backend, ISA and threads in two separate processes: bit-identical weights and losses', () => {
  const run = () => {
    const r = spawnSync(process.execPath, ['-e', training], { encoding: 'utf8', env: { ...process.env, SIMDGRAD_ISA: '', SIMDGRAD_THREADS: '2' } });
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as { hash: string; loss: number[]; info: { backend: string; threads: number } };
  };
  const a = run(), b = run();
  expect(a.info.threads).toBe(2);
  expect(b.hash).toBe(a.hash);
  expect(b.loss).toEqual(a.loss);
}, 120_000);

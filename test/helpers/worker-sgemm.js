// worker_threads entry for test/workers.test.ts: loads the native addon straight from the package root
// with node-gyp-build (build/Release first; not through dist/, which may be stale) and runs sgemm.
// workerData: { root, mode: 'batch' | 'once' | 'loop', job?, gate? }
//   batch: post { type: 'ready' }, wait until gate[0] != 0 (Atomics), run job.reps sgemms (variant i: see
//          below), post { type: 'done', results, start, end } (wall-clock ms of the sgemm loop) and return.
//   once:  run job.reps sgemms right away, post { type: 'done', results } and return.
//   loop:  post { type: 'ready' } and run sgemms until terminated.
// Variant i: transA = i & 1, transB = i & 2, alpha = 1 + (i % 3) / 2, beta = i % 2 ? 0.5 : 0, so
// C = alpha·A·B + beta·C0 whatever the flags (job carries A, Aᵀ, B, Bᵀ and C0).
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const load = require('node-gyp-build');

const binding = load(workerData.root);

function variant(i) {
  return { transA: (i & 1) !== 0, transB: (i & 2) !== 0, alpha: 1 + (i % 3) / 2, beta: i % 2 ? 0.5 : 0 };
}

function runOne(job, i) {
  const { m, n, k } = job;
  const v = variant(i);
  const c = new Float32Array(job.c0);
  binding.sgemm(v.transA, v.transB, m, n, k, v.alpha,
    v.transA ? job.at : job.a, v.transA ? m : k,
    v.transB ? job.bt : job.b, v.transB ? k : n,
    v.beta, c, n);
  return c;
}

function info() {
  return { isa: binding.currentIsa(), isas: binding.availableIsas(), threads: binding.getNumThreads() };
}

const { mode, job, gate } = workerData;
if (mode === 'batch' || mode === 'once') {
  if (mode === 'batch') {
    parentPort.postMessage({ type: 'ready', ...info() });
    const flag = new Int32Array(gate);
    while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, 1000);
  }
  const results = [];
  const start = performance.timeOrigin + performance.now();
  for (let i = 0; i < job.reps; i++) results.push(runOne(job, i));
  const end = performance.timeOrigin + performance.now();
  parentPort.postMessage({ type: 'done', results, start, end, ...info() }, results.map((r) => r.buffer));
} else if (mode === 'loop') {
  parentPort.postMessage({ type: 'ready', ...info() });
  for (let i = 0; ; i++) runOne(job, i);
} else {
  throw new Error(`worker-sgemm: unknown mode ${mode}`);
}

// The native addon under worker_threads (DESIGN.md "Threads", TOOLCHAIN.md "Threads and worker_threads"):
// several workers load it at once and run pool-sized sgemms concurrently with the main thread, each
// on its own data; every result is checked against a float64 triple loop on the main thread. Also:
// workers that load, compute and exit (env cleanup hooks), and workers terminated mid-computation.
// Workers load the addon from the package root with node-gyp-build (test/helpers/worker-sgemm.js), so
// nothing here depends on dist/ being fresh. Skipped when no native binary loads.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import load = require('node-gyp-build');

const ROOT = path.resolve(__dirname, '..');
const WORKER = path.join(__dirname, 'helpers', 'worker-sgemm.js');

interface Raw {
  sgemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Float32Array, lda: number, b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number): void;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  currentIsa(): string;
  availableIsas(): string[];
}

let raw: Raw | null = null;
let loadError = '';
try {
  raw = load(ROOT) as Raw;
} catch (e) {
  loadError = e instanceof Error ? e.message.split('\n')[0]! : String(e);
}

// Large enough for the kernels to hand work to the thread pool (about 60–100 µs per sgemm on 2 cores);
// REPS sgemms per thread keep the threads busy for tens of ms, so their loops overlap.
const M = 200, N = 150, K = 300, REPS = 240;

interface Job { m: number; n: number; k: number; reps: number; a: Float32Array; at: Float32Array; b: Float32Array; bt: Float32Array; c0: Float32Array }
interface Expected { prod: Float64Array; absProd: Float64Array }

function rand(seed: number, len: number): Float32Array {
  let s = (seed * 2654435761) >>> 0 || 1;
  const out = new Float32Array(len);
  for (let i = 0; i < len; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = (s / 4294967296) * 2 - 1;
  }
  return out;
}

function transpose(x: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j]!;
  return t;
}

function makeJob(seed: number, reps = REPS): Job {
  const a = rand(seed, M * K), b = rand(seed + 1000, K * N);
  return { m: M, n: N, k: K, reps, a, at: transpose(a, M, K), b, bt: transpose(b, K, N), c0: rand(seed + 2000, M * N) };
}

/** A·B in float64 (a JS triple loop), plus Σ|a||b| per element for the error bound. */
function expected(job: Job): Expected {
  const { m, n, k, a, b } = job;
  const prod = new Float64Array(m * n), absProd = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0, sa = 0;
      for (let p = 0; p < k; p++) {
        const x = a[i * k + p]! * b[p * n + j]!;
        s += x;
        sa += Math.abs(x);
      }
      prod[i * n + j] = s;
      absProd[i * n + j] = sa;
    }
  }
  return { prod, absProd };
}

// Must match test/helpers/worker-sgemm.js.
const variant = (i: number) => ({ transA: (i & 1) !== 0, transB: (i & 2) !== 0, alpha: 1 + (i % 3) / 2, beta: i % 2 ? 0.5 : 0 });

function runOne(r: Raw, job: Job, i: number): Float32Array {
  const v = variant(i);
  const c = new Float32Array(job.c0);
  r.sgemm(v.transA, v.transB, job.m, job.n, job.k, v.alpha, v.transA ? job.at : job.a, v.transA ? job.m : job.k,
    v.transB ? job.bt : job.b, v.transB ? job.k : job.n, v.beta, c, job.n);
  return c;
}

/** '' when result i of `job` is right, else a description of the worst element. */
function check(job: Job, exp: Expected, i: number, c: Float32Array): string {
  const v = variant(i);
  if (c.length !== job.m * job.n) return `length ${c.length}, expected ${job.m * job.n}`;
  let worst = '', worstRatio = 1;
  for (let e = 0; e < c.length; e++) {
    const want = v.alpha * exp.prod[e]! + v.beta * job.c0[e]!;
    const tol = 1e-5 * (v.alpha * exp.absProd[e]! + v.beta * Math.abs(job.c0[e]!)) + 1e-6;
    const err = Math.abs(c[e]! - want);
    if (!(err <= tol * worstRatio)) { // NaN fails too
      worstRatio = Number.isFinite(err / tol) ? err / tol : Infinity;
      worst = `rep ${i} (${JSON.stringify(v)}): C[${Math.floor(e / job.n)}][${e % job.n}] = ${c[e]}, expected ${want} ± ${tol}`;
      if (worstRatio === Infinity) break;
    }
  }
  return worst;
}

interface Msg {
  type: 'ready' | 'done'; isa: string; isas: string[]; threads: number;
  results?: Float32Array[]; start?: number; end?: number;
}

/** A worker with its messages queued; `next()` waits for the next one, rejecting on error/exit/timeout. */
function spawn(workerData: object, timeoutMs = 60_000) {
  const worker = new Worker(WORKER, { workerData: { root: ROOT, ...workerData } });
  const queue: Msg[] = [];
  let waiter: { resolve: (m: Msg) => void; reject: (e: Error) => void } | null = null;
  let failure: Error | null = null;
  const fail = (e: Error) => {
    failure ??= e;
    if (waiter) { waiter.reject(e); waiter = null; }
  };
  worker.on('message', (m: Msg) => {
    if (waiter) { waiter.resolve(m); waiter = null; } else queue.push(m);
  });
  worker.on('error', (e) => fail(e));
  const exited = new Promise<number>((resolve) => worker.on('exit', (code) => {
    fail(new Error(`worker exited with code ${code} before sending the expected message`));
    resolve(code);
  }));
  const next = (): Promise<Msg> => {
    const m = queue.shift();
    if (m) return Promise.resolve(m);
    if (failure) return Promise.reject(failure);
    return new Promise<Msg>((resolve, reject) => {
      const t = setTimeout(() => { waiter = null; reject(new Error(`worker: no message within ${timeoutMs} ms`)); }, timeoutMs);
      waiter = { resolve: (x) => { clearTimeout(t); resolve(x); }, reject: (e) => { clearTimeout(t); reject(e); } };
    });
  };
  const exit = (): Promise<number> => Promise.race([exited, new Promise<number>((_, reject) =>
    setTimeout(() => reject(new Error(`worker did not exit within ${timeoutMs} ms`)), timeoutMs).unref())]);
  return { worker, next, exit };
}

describe.skipIf(!raw)(`native addon in worker_threads${raw ? '' : ` (skipped: ${loadError})`}`, () => {
  const r = raw!;
  let threadsBefore = 1;

  beforeAll(() => {
    threadsBefore = r.getNumThreads();
    // At least 2 pool threads even on a 1-CPU machine, so the kernels really share the pool.
    r.setNumThreads(Math.max(2, threadsBefore));
  });
  afterAll(() => {
    r.setNumThreads(threadsBefore);
  });

  async function concurrent(nWorkers: number): Promise<void> {
    const jobs = Array.from({ length: nWorkers + 1 }, (_, w) => makeJob(17 * (w + 1)));
    const exps = jobs.map(expected); // the triple loops, before any native work starts
    const gate = new SharedArrayBuffer(4);
    const workers = jobs.slice(1).map((job) => spawn({ mode: 'batch', job, gate }));
    try {
      // Every worker has loaded the addon (all at once) before any computes.
      const ready = await Promise.all(workers.map((w) => w.next()));
      for (const m of ready) {
        expect(m.type).toBe('ready');
        expect(m.isa).toBe(r.currentIsa());
        expect(m.isas).toEqual(r.availableIsas());
        expect(m.threads, 'one process-wide pool: workers see the main thread\'s setting').toBe(r.getNumThreads());
      }
      const flag = new Int32Array(gate);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      // The main thread computes at the same time as the workers.
      const mainJob = jobs[0]!;
      const start = performance.timeOrigin + performance.now();
      const mainResults = Array.from({ length: REPS }, (_, i) => runOne(r, mainJob, i));
      const end = performance.timeOrigin + performance.now();
      const done = await Promise.all(workers.map((w) => w.next()));
      // Sanity check of the setup itself: some worker's sgemm loop overlapped the main thread's.
      const overlaps = done.filter((m) => m.start! < end && m.end! > start).length;
      expect(overlaps, `worker loops ${JSON.stringify(done.map((m) => [m.start! - start, m.end! - start]))} ms vs main 0..${end - start}`)
        .toBeGreaterThan(0);
      const problems: string[] = [];
      mainResults.forEach((c, i) => { const p = check(mainJob, exps[0]!, i, c); if (p) problems.push(`main: ${p}`); });
      done.forEach((m, w) => {
        expect(m.type).toBe('done');
        expect(m.results).toHaveLength(REPS);
        m.results!.forEach((c, i) => { const p = check(jobs[w + 1]!, exps[w + 1]!, i, c); if (p) problems.push(`worker ${w}: ${p}`); });
      });
      expect(problems).toEqual([]);
      expect(await Promise.all(workers.map((w) => w.exit()))).toEqual(workers.map(() => 0));
    } finally {
      await Promise.all(workers.map((w) => w.worker.terminate()));
    }
  }

  it('two workers and the main thread compute sgemm concurrently, all correct', async () => {
    await concurrent(2);
  }, 120_000);

  it('four workers and the main thread compute sgemm concurrently, all correct', async () => {
    await concurrent(4);
  }, 180_000);

  it('a worker that loads the addon, computes and exits, ten times in a row', async () => {
    const job = makeJob(99, 2);
    const exp = expected(job);
    for (let round = 0; round < 10; round++) {
      const w = spawn({ mode: 'once', job });
      const m = await w.next();
      expect(m.type).toBe('done');
      m.results!.forEach((c, i) => expect(check(job, exp, i, c), `round ${round}`).toBe(''));
      expect(await w.exit(), `round ${round}: exit code`).toBe(0);
    }
    // The main thread's addon instance is unaffected by the workers' environments shutting down.
    expect(check(job, exp, 0, runOne(r, job, 0))).toBe('');
  }, 120_000);

  it('workers terminated in the middle of an sgemm loop; the pool keeps working', async () => {
    const job = makeJob(7, 1);
    const exp = expected(job);
    for (let round = 0; round < 5; round++) {
      const w = spawn({ mode: 'loop', job });
      expect((await w.next()).type).toBe('ready');
      await new Promise((res) => setTimeout(res, 20 + 10 * round));
      // The main thread competes for the pool while the worker is busy, then the worker is terminated.
      expect(check(job, exp, round, runOne(r, job, round))).toBe('');
      await w.worker.terminate();
      await w.exit();
    }
    for (let i = 0; i < 4; i++) expect(check(job, exp, i, runOne(r, job, i))).toBe('');
  }, 120_000);
});

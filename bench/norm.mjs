// Feature scaling in GB/s: StandardScaler fit + transform of 200000×64 and 60000×784 float32 matrices
// into a caller-provided, already-touched output (a Tensor reused across calls), counted as 3 × the
// matrix's bytes (read twice, written once, whatever the algorithm does), cold: flushCaches() writes
// 1 GiB before every timed call. Also the two kernels alone (colMeanVar + colAffine) and BatchNorm's
// training forward (same bytes). Native in this process's configuration; the reference with --reference.
// Flags: --reference, --quick. Output: JSON lines on stdout, progress on stderr.
import { StandardScaler, Tensor, backendInfo, backends } from 'simdgrad';
import { checkClose, emit, flags, flushCaches, header, main, progress, randomArray, summarize, timeit } from './harness.mjs';

const opt = flags();
const quick = Boolean(opt.quick);
const SHAPES = quick ? [[20000, 64], [6000, 784]] : [[200000, 64], [60000, 784]];

/** The cases: each reads x and writes out; `run(be, d)` is one timed call. */
const CASES = [
  { name: 'StandardScaler fit+transform', run: (be, d) => {
    // The scaler runs on the active backend: native here (run.mjs clears SIMDGRAD_BACKEND).
    const s = new StandardScaler().fit(d.t);
    s.transform(d.t, d.outT);
  } },
  { name: 'colMeanVar + colAffine', run: (be, d) => {
    be.colMeanVar(d.rows, d.cols, d.x, d.mean, d.var);
    for (let j = 0; j < d.cols; j++) d.inv[j] = 1 / Math.sqrt(d.var[j]);
    be.colAffine(d.rows, d.cols, d.x, d.mean, d.inv, d.out);
  } },
  { name: 'batchNormForwardTraining', run: (be, d) => {
    be.batchNormForwardTraining(d.rows, d.cols, d.x, d.gamma, d.beta, 1e-5, 0.1, d.rm, d.rv, d.out, d.mean, d.inv);
  } },
];

function makeData(rows, cols) {
  const x = randomArray(rows * cols, { lo: 3, hi: 13, seed: 21 }); // the anchors' data: uniform·10 + 3
  const out = new Float32Array(rows * cols).fill(1); // touched: no page faults inside the timed call
  return {
    rows, cols, x, out, t: new Tensor(x, [rows, cols]), outT: new Tensor(out, [rows, cols]),
    mean: new Float32Array(cols), var: new Float32Array(cols), inv: new Float32Array(cols),
    gamma: new Float32Array(cols).fill(1), beta: new Float32Array(cols), rm: new Float32Array(cols),
    rv: new Float32Array(cols).fill(1),
  };
}

/** z-scores of the float64 reference statistics; every case's output must match them. */
function expected(d) {
  const m = new Float64Array(d.cols), v = new Float64Array(d.cols), z = new Float64Array(d.rows * d.cols);
  backends.reference.colMeanVar(d.rows, d.cols, d.x, m, v);
  const inv = v.map((s) => 1 / Math.sqrt(s));
  backends.reference.colAffine(d.rows, d.cols, d.x, m, inv, z);
  return z;
}

main('norm', async () => {
  const info = backendInfo();
  const native = backends.native;
  const isa = native ? native.isa : 'none';
  emit(header({ ...info, isa, backend: native ? 'native' : 'reference' }, { family: 'norm', quick }));
  const samples = quick ? 3 : 7;
  flushCaches(); // faults in the 1 GiB buffer once, outside any measurement
  for (const [rows, cols] of SHAPES) {
    const d = makeData(rows, cols), bytes = 3 * rows * cols * 4, shape = `${rows}x${cols}`;
    const want = expected(d);
    for (const k of CASES) {
      const base = { bench: 'norm', kernel: k.name, shape, cache: 'cold', bytes, unit: 'GB/s' };
      if (native && info.backend === 'native') {
        d.out.fill(NaN);
        k.run(native, d);
        // float32 statistics and one rounding per op: |Δz| ≤ a few ε·(|z| + |mean|/std) ≈ 1e-6 here
        const worst = checkClose(d.out, want, { abs: 2e-5 }, `${k.name} ${shape} native ${isa}`);
        const r = summarize(timeit(() => k.run(native, d), { samples, before: flushCaches }), bytes);
        emit({ ...base, backend: 'native', isa, threads: info.threads, validated: true, errOverTol: +worst.toFixed(3), ...r });
        progress(`norm ${isa}·${info.threads}t ${k.name} ${shape}: ${r.median} GB/s (±${Math.round(r.spread * 50)}%)`);
      }
      if (opt.reference && k.name !== 'StandardScaler fit+transform') {
        const r = summarize(timeit(() => k.run(backends.reference, d), { samples: quick ? 2 : 3, before: flushCaches }), bytes);
        emit({ ...base, backend: 'reference', isa: 'js', threads: 1, ...r });
        progress(`norm reference ${k.name} ${shape}: ${r.median} GB/s`);
      }
    }
  }
});

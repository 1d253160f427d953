// sgemm throughput of the native backend in this process's configuration (SIMDGRAD_ISA, SIMDGRAD_THREADS,
// read by simdgrad at load), and of the reference backend when --reference is given (run.mjs passes it to
// the first configuration only: the reference is single-threaded JS and ignores the ISA).
// Flags: --reference, --big (adds 2048³), --quick (fewer shapes and samples: a smoke test).
// Output: JSON lines on stdout (harness.emit), progress on stderr.
import { backendInfo, backends } from 'simdgrad';
import { emit, flags, header, main, maxAbs, progress, randomArray, summarize, timeit, checkClose } from './harness.mjs';

const opt = flags();
const quick = Boolean(opt.quick);
const EPS = 2 ** -23;
const REF_MAX = 512; // the reference runs ~1 GFLOP/s: 1024³ would take 2 s a call

/** [label, m, n, k, transA, transB]: op(A) is m×k, op(B) is k×n. */
function shapes() {
  // 1–32: where crossing into C++ stops paying off (the native backend runs m·n·k ≤ 128 in TypeScript)
  const sq = quick ? [4, 16, 64, 256] : [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
  if (opt.big && !quick) sq.push(2048);
  const list = sq.map((s) => [`${s}³`, s, s, s, false, false]);
  // The MLP 784-256-128-10 at batch 128 (the anchors' mlp stage): the three forward products X·W,
  // then the two backward forms, dW = Xᵀ·dY (transA) and dX = dY·Wᵀ (transB).
  const mlp = [
    ['fwd 128×784·784×256', 128, 256, 784, false, false],
    ['fwd 128×256·256×128', 128, 128, 256, false, false],
    ['fwd 128×128·128×10', 128, 10, 128, false, false],
    ['bwd Aᵀ·B 784×128·128×256', 784, 256, 128, true, false],
    ['bwd A·Bᵀ 128×128·128×256', 128, 256, 128, false, true],
  ];
  return list.concat(quick ? [mlp[0], mlp[3], mlp[4]] : mlp);
}

/** Stored operands: A is m×k (k×m when transA), B is k×n (n×k when transB), leading dimension = columns. */
function operands(m, n, k, transA, transB, seed) {
  const a = randomArray(m * k, { seed });
  const b = randomArray(k * n, { seed: seed + 7 });
  return { a, lda: transA ? m : k, b, ldb: transB ? k : n };
}

/**
 * Native vs the reference on the same float32 values (the reference gets them in float64 arrays and
 * accumulates in float64). Tolerance 4·k·ε·max|a|·max|b|: a float32 dot product of length k errs by at
 * most ~k·ε·Σ|a_p·b_p| in the worst case; 4× leaves room for blocked summation orders.
 * Above 512³ the reference would take seconds per configuration, so 64 rows spread over C are checked
 * (as 1-row products): they cover every row position within the micro-kernel's tiles and both edges.
 */
function validate(native, label, m, n, k, transA, transB, { a, lda, b, ldb }) {
  const c = new Float32Array(m * n).fill(NaN); // β = 0 must overwrite NaN
  native.sgemm(transA, transB, m, n, k, 1, a, lda, b, ldb, 0, c, n);
  const a64 = Float64Array.from(a), b64 = Float64Array.from(b);
  const tol = 4 * k * EPS * maxAbs(a) * maxAbs(b);
  const rows = m * n * k > REF_MAX ** 3 ? sampleRows(m, 64) : null;
  if (rows === null) {
    const ref = new Float64Array(m * n);
    backends.reference.sgemm(transA, transB, m, n, k, 1, a64, lda, b64, ldb, 0, ref, n);
    return checkClose(c, ref, tol, `sgemm ${label} native ${native.isa}`);
  }
  let worst = 0;
  const ref = new Float64Array(n);
  for (const i of rows) {
    // Row i of op(A): row i of A (offset i·lda), or column i of Aᵀ's storage (offset i, stride lda).
    const ai = a64.subarray(transA ? i : i * lda);
    backends.reference.sgemm(transA, transB, 1, n, k, 1, ai, lda, b64, ldb, 0, ref, n);
    worst = Math.max(worst, checkClose(c.subarray(i * n, (i + 1) * n), ref, tol, `sgemm ${label} native ${native.isa} row ${i}`));
  }
  return worst;
}

function sampleRows(m, count) {
  const set = new Set([0, m - 1]);
  for (let j = 0; set.size < Math.min(count, m); j++) set.add(Math.floor((j * 2654435761) % m)); // Fibonacci hash: spread, varied residues
  return [...set].sort((x, y) => x - y);
}

main('sgemm', async () => {
  const info = backendInfo();
  const native = backends.native;
  const isa = native ? native.isa : 'none';
  emit(header({ ...info, isa, backend: native ? 'native' : 'reference' }, { family: 'sgemm', quick, big: Boolean(opt.big) }));
  const samples = quick ? 3 : 7;
  const minTime = quick ? 0.02 : 0.05;
  for (const [label, m, n, k, transA, transB] of shapes()) {
    const ops = operands(m, n, k, transA, transB, m * 31 + n * 17 + k);
    const { a, lda, b, ldb } = ops;
    const c = new Float32Array(m * n);
    const flop = 2 * m * n * k;
    const base = { bench: 'sgemm', shape: label, m, n, k, transA, transB, unit: 'GFLOP/s' };
    if (native) {
      const worst = validate(native, label, m, n, k, transA, transB, ops);
      const secs = timeit(() => native.sgemm(transA, transB, m, n, k, 1, a, lda, b, ldb, 0, c, n), { minTime, samples });
      const r = summarize(secs, flop);
      emit({ ...base, backend: 'native', isa, threads: info.threads, validated: true, errOverTol: +worst.toFixed(3), ...r });
      progress(`sgemm ${isa}·${info.threads}t ${label}: ${r.median} GFLOP/s (±${Math.round(r.spread * 50)}%)`);
    }
    if (opt.reference && m * n * k <= REF_MAX ** 3) {
      // Timed on the same Float32Array operands as native: the call a program makes without the addon.
      const secs = timeit(() => backends.reference.sgemm(transA, transB, m, n, k, 1, a, lda, b, ldb, 0, c, n),
        { minTime, samples: quick ? 2 : 3, warmup: 0.02 });
      const r = summarize(secs, flop);
      emit({ ...base, backend: 'reference', isa: 'js', threads: 1, ...r });
      progress(`sgemm reference ${label}: ${r.median} GFLOP/s`);
    }
  }
});

// Memory-bound kernels (axpy, scale, add, mul, biasAdd, colSum, activations) in GB/s, native in this
// process's configuration (SIMDGRAD_ISA, SIMDGRAD_THREADS) and the reference backend with --reference.
// Sizes: n = 1e4 floats warm (40 KB arrays stay in L1/L2 between calls: the small-layer case, where call
// overhead shows), 2^20 and 2^24 cold (flushCaches() before every timed call: the DRAM case; 2^24 = 64 MiB
// per array). The reference runs at 1e4 and 2^20 only, to keep time down.
// Flags: --reference, --quick (no 2^24, fewer samples). Output: JSON lines on stdout, progress on stderr.
import { backendInfo, backends } from 'simdgrad';
import { checkClose, emit, flags, flushCaches, header, main, maxAbs, progress, randomArray, summarize, timeit } from './harness.mjs';

const opt = flags();
const quick = Boolean(opt.quick);
const EPS = 2 ** -23;
const COLS = 256; // biasAdd/colSum run on a rows×256 matrix (a layer width); rows = ⌊n/256⌋

// Tolerances, |Δ| ≤ abs + rel·|ref| against a float64 reference on the same float32 inputs:
// one rounding of an exact op is ≤ ε/2 relative (2ε leaves room); the vector transcendentals are
// "a few ulp, absolute error < 1e-6 near the float32 limits" (native/simd/vmath.inc): 8ε and 2e-6.
const ROUNDED = () => ({ rel: 2 * EPS });
const TRANSCENDENTAL = () => ({ abs: 2e-6, rel: 8 * EPS });

/**
 * name, bytes per element (read + written, counted as STREAM does: write-allocate traffic not included),
 * run(backend, n, data), the output array's key and its element count, and the tolerance.
 */
const KERNELS = [
  { name: 'axpy', bpe: 12, out: 'acc', run: (be, n, d) => be.axpy(n, 1e-3, d.x, d.acc),
    // unfused α·x + y rounds twice, and y can cancel α·x: bound by the operands, not the result
    tol: (d) => ({ abs: 2 * EPS * (1e-3 * maxAbs(d.x) + maxAbs(d.acc)) }) },
  { name: 'scale', bpe: 8, out: 'out', run: (be, n, d) => be.scale(n, 1.7, d.x, d.out), tol: ROUNDED },
  { name: 'add', bpe: 12, out: 'out', run: (be, n, d) => be.add(n, d.x, d.y, d.out), tol: ROUNDED },
  { name: 'mul', bpe: 12, out: 'out', run: (be, n, d) => be.mul(n, d.x, d.y, d.out), tol: ROUNDED },
  { name: 'biasAdd', bpe: 8, out: 'out', count: (d) => d.rows * COLS,
    run: (be, n, d) => be.biasAdd(d.rows, COLS, d.x, d.bias, d.out), tol: ROUNDED },
  // colSum reads rows×cols and writes cols floats: ≈ 4 B/elem. A float32 sum of `rows` terms errs by ≤ rows·ε·Σ|x|.
  { name: 'colSum', bpe: 4, out: 'cs', count: () => COLS,
    run: (be, n, d) => be.colSum(d.rows, COLS, 1, d.x, 0, d.cs), tol: (d) => ({ abs: 2 * (d.rows + 1) * EPS * maxAbs(d.x) }) },
  ...['relu', 'sigmoid', 'tanh', 'gelu'].map((act) => ({
    name: `act fwd ${act}`, bpe: 8, out: 'out', tol: TRANSCENDENTAL,
    run: (be, n, d) => be.activationForward(act, 0, n, d.x, d.out),
  })),
  // relu's derivative reads the output y (x stands in for it: y > 0 ⇔ x > 0), gelu's reads the input x.
  { name: 'act bwd relu', bpe: 12, out: 'out', tol: TRANSCENDENTAL,
    run: (be, n, d) => be.activationBackward('relu', 0, n, null, d.x, d.dy, d.out) },
  { name: 'act bwd gelu', bpe: 12, out: 'out', tol: TRANSCENDENTAL,
    run: (be, n, d) => be.activationBackward('gelu', 0, n, d.x, null, d.dy, d.out) },
];

/** Float32 operands; x spans [-4, 4) so sigmoid, tanh and gelu are exercised beyond their linear part. */
function makeData(n) {
  const rows = Math.floor(n / COLS);
  return {
    rows,
    x: randomArray(n, { lo: -4, hi: 4, seed: 11 }),
    y: randomArray(n, { seed: 12 }),
    dy: randomArray(n, { seed: 13 }),
    acc: randomArray(n, { seed: 14 }), // axpy's y, updated in place: kept apart so x and y never change
    out: new Float32Array(n),
    bias: randomArray(COLS, { seed: 15 }),
    cs: new Float32Array(COLS),
  };
}

/** Native on float32 vs reference on float64 copies of the same inputs; outputs preset to NaN catch unwritten elements. */
function validate(native, k, n, d) {
  const d64 = {
    rows: d.rows, x: Float64Array.from(d.x), y: Float64Array.from(d.y), dy: Float64Array.from(d.dy),
    acc: Float64Array.from(d.acc), out: new Float64Array(n), bias: Float64Array.from(d.bias), cs: new Float64Array(COLS),
  };
  const tol = k.tol(d); // from the inputs, before axpy updates acc
  if (k.out !== 'acc') d[k.out].fill(NaN);
  k.run(native, n, d);
  k.run(backends.reference, n, d64);
  const count = k.count ? k.count(d) : n;
  return checkClose(d[k.out].subarray(0, count), d64[k.out].subarray(0, count), tol,
    `${k.name} n=${n} native ${native.isa}`);
}

main('elementwise', async () => {
  const info = backendInfo();
  const native = backends.native;
  const isa = native ? native.isa : 'none';
  emit(header({ ...info, isa, backend: native ? 'native' : 'reference' }, { family: 'elementwise', quick }));
  const samples = quick ? 3 : 7;
  const minTime = quick ? 0.02 : 0.05;
  const sizes = [
    { n: 1e4, cache: 'warm', label: '1e4', reference: true },
    { n: 2 ** 20, cache: 'cold', label: '2^20', reference: true },
    ...(quick ? [] : [{ n: 2 ** 24, cache: 'cold', label: '2^24', reference: false }]),
  ];
  for (const size of sizes) {
    const { n, cache } = size;
    const d = makeData(n);
    const when = cache === 'cold' ? { samples, before: flushCaches } : { samples, minTime };
    if (cache === 'cold') flushCaches(); // faults in the 1 GiB buffer once, outside any measurement
    for (const k of KERNELS) {
      const count = k.name === 'biasAdd' || k.name === 'colSum' ? d.rows * COLS : n;
      const bytes = k.bpe * count;
      const base = { bench: 'elementwise', kernel: k.name, n, size: size.label, cache, bytes, unit: 'GB/s' };
      if (native) {
        const worst = validate(native, k, n, d);
        const r = summarize(timeit(() => k.run(native, n, d), when), bytes);
        emit({ ...base, backend: 'native', isa, threads: info.threads, validated: true, errOverTol: +worst.toFixed(3), ...r });
        progress(`elementwise ${isa}·${info.threads}t ${k.name} ${size.label} ${cache}: ${r.median} GB/s (±${Math.round(r.spread * 50)}%)`);
      }
      if (opt.reference && size.reference) {
        // The reference on the same Float32Arrays: what a program gets without the addon.
        const r = summarize(timeit(() => k.run(backends.reference, n, d), { ...when, samples: quick ? 3 : 5 }), bytes);
        emit({ ...base, backend: 'reference', isa: 'js', threads: 1, ...r });
        progress(`elementwise reference ${k.name} ${size.label} ${cache}: ${r.median} GB/s`);
      }
    }
  }
});

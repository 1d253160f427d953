// Norm-family kernels (column min/max, mean/variance, affine and inverse, batch norm forward/backward):
// native (this process's ISA) vs the float64 reference on the same float32 data, over shapes 0, 1, odd,
// prime, each side of the 4/8/16-lane widths, and large enough to be threaded and to use non-temporal
// stores; plus the 1e6-offset stability case and results independent of the thread count.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backendInfo, backends, getNumThreads, setNumThreads } from '../../lib/index';
import { Rng } from '../../lib/rng';
import { EPS32, expectClose, maxAbs, randomF32, toF64 } from '../helpers/compare';

const native = backends.native!;
const reference = backends.reference;
const isa = process.env.SIMDGRAD_ISA!;
const SHAPES: [number, number][] = [[0, 5], [5, 0], [1, 1], [1, 7], [2, 3], [7, 13], [3, 65], [17, 15], [17, 16],
  [17, 17], [33, 31], [33, 33], [300, 257], [1000, 300], [70001, 3], [2, 4099], [20011, 64]];
const threads0 = getNumThreads();
afterAll(() => setNumThreads(threads0));

/** Data with a per-column offset and spread, so column statistics differ column by column. */
function matrix(rng: Rng, rows: number, cols: number): Float32Array {
  const x = randomF32(rng, rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) x[i * cols + j] = x[i * cols + j]! * (1 + j % 5) + (j % 7) - 3;
  return x;
}

/**
 * Injects non-finite values by column, pattern j % 8: +Inf in the first row; +Inf in the last row; −Inf
 * in the middle; +Inf in the first two and the last row (one block, and blocks/chunks apart); +Inf and
 * −Inf; NaN; with `overflow`, ±3e38 (finite, but float32 block sums overflow); 7: untouched.
 */
function withNonFinite(x: Float32Array, rows: number, cols: number, overflow: boolean): Float32Array {
  const set = (i: number, j: number, v: number) => { x[i * cols + j] = v; };
  const last = rows - 1, mid = rows >> 1;
  for (let j = 0; j < cols; j++) {
    const k = j % 8;
    if (k === 0 || k === 3 || k === 4) set(0, j, Infinity);
    if (k === 1 || k === 3) set(last, j, Infinity);
    if (k === 3) set(Math.min(1, last), j, Infinity);
    if (k === 2) set(mid, j, -Infinity);
    if (k === 4 && rows > 1) set(last, j, -Infinity);
    if (k === 5) set(mid, j, NaN);
    if (k === 6 && overflow) {
      set(0, j, 3e38);
      set(last, j, -3e38);
    }
  }
  return x;
}
const NONFINITE_SHAPES: [number, number][] = [[1, 8], [2, 8], [3, 9], [17, 17], [300, 257], [2, 4099], [20011, 64], [20, 40009]];

describe(`norm kernels native ${isa}`, () => {
  it('runs on the ISA this process was started with', () => {
    expect(backendInfo().isa).toBe(isa);
  });

  it('colMinMax is exact and propagates NaN', () => {
    for (const [rows, cols] of SHAPES) {
      const x = matrix(new Rng(rows * 7 + cols), rows, cols), label = `colMinMax[${isa}] ${rows}x${cols}`;
      if (rows > 1 && cols > 2) x[(rows - 1) * cols + 2] = NaN;
      const mn = new Float32Array(cols), mx = new Float32Array(cols), rn = new Float64Array(cols), rx = new Float64Array(cols);
      native.colMinMax(rows, cols, x, mn, mx);
      reference.colMinMax(rows, cols, x, rn, rx);
      expectClose(`${label} min`, mn, rn, 0);
      expectClose(`${label} max`, mx, rx, 0);
      if (rows === 0) expect(Array.from(mn).every((v) => v === Infinity)).toBe(true);
    }
  });

  it('colMeanVar matches the float64 two-pass reference', () => {
    for (const [rows, cols] of SHAPES) {
      const x = matrix(new Rng(rows * 11 + cols), rows, cols), label = `colMeanVar[${isa}] ${rows}x${cols}`;
      const m = new Float32Array(cols), v = new Float32Array(cols), rm = new Float64Array(cols), rv = new Float64Array(cols);
      native.colMeanVar(rows, cols, x, m, v);
      reference.colMeanVar(rows, cols, x, rm, rv);
      // float32 sums within blocks of ≤ 256 rows, merged in double (Chan): observed ≤ 2.5ε relative
      expectClose(`${label} mean`, m, rm, 4 * EPS32 * maxAbs(x), 2 * EPS32);
      expectClose(`${label} variance`, v, rv, 4 * EPS32, 16 * EPS32);
    }
  });

  it('colMeanVar is stable at an offset of 1e6 (naive float32 Σx² fails the same test)', () => {
    const rows = 100003, cols = 5, rng = new Rng(42);
    const x = new Float32Array(rows * cols);
    for (let i = 0; i < x.length; i++) x[i] = 1e6 + rng.normal();
    const m = new Float32Array(cols), v = new Float32Array(cols), rm = new Float64Array(cols), rv = new Float64Array(cols);
    native.colMeanVar(rows, cols, x, m, v);
    reference.colMeanVar(rows, cols, x, rm, rv); // float64 variance of the same float32 values
    expectClose(`colMeanVar offset 1e6 [${isa}]`, v, rv, 0, 1e-3);
    expectClose(`colMeanVar offset 1e6 [${isa}] (tighter)`, v, rv, 0, 1e-5);
    let s = 0, ss = 0; // the textbook one-pass formula in float32, for contrast
    for (let i = 0; i < rows; i++) {
      s = Math.fround(s + x[i * cols]!);
      ss = Math.fround(ss + Math.fround(x[i * cols]! * x[i * cols]!));
    }
    const naive = ss / rows - (s / rows) ** 2;
    expect(Math.abs(naive - rv[0]!) / rv[0]!).toBeGreaterThan(1e-3);
  });

  it('colMeanVar: rows = 0 gives NaN, NaN in data propagates', () => {
    const m = new Float32Array(2), v = new Float32Array(2);
    native.colMeanVar(0, 2, new Float32Array(0), m, v);
    expect([...m, ...v].every(Number.isNaN)).toBe(true);
    native.colMeanVar(3, 2, new Float32Array([1, 2, NaN, 3, 4, 5]), m, v);
    expect([Number.isNaN(m[0]!), Number.isNaN(v[0]!)]).toEqual([true, true]);
    expect(m[1]).toBeCloseTo(10 / 3, 6);
    expect(v[1]).toBeCloseTo(14 / 9, 6);
  });

  it('colMeanVar with ±Infinity and NaN columns matches the reference (mean ±Inf or NaN, variance NaN)', () => {
    const m = new Float32Array(3), v = new Float32Array(3); // columns: Inf at row 0; Inf at row 2; +Inf and −Inf
    native.colMeanVar(3, 3, new Float32Array([Infinity, 1, Infinity, 2, 2, 1, 3, Infinity, -Infinity]), m, v);
    expect([...m, ...v]).toEqual([Infinity, Infinity, NaN, NaN, NaN, NaN]);
    for (const [rows, cols] of NONFINITE_SHAPES) {
      const x0 = matrix(new Rng(rows * 29 + cols), rows, cols), label = `colMeanVar non-finite [${isa}] ${rows}x${cols}`;
      const x = withNonFinite(x0.slice(), rows, cols, true);
      const nm = new Float32Array(cols), nv = new Float32Array(cols), rm = new Float64Array(cols), rv = new Float64Array(cols);
      native.colMeanVar(rows, cols, x, nm, nv);
      reference.colMeanVar(rows, cols, x, rm, rv);
      const pick = (a: Float32Array | Float64Array, big: boolean) => Float64Array.from(a).filter((_, j) => (j % 8 === 6) === big);
      expectClose(`${label} mean`, pick(nm, false), pick(rm, false), 4 * EPS32 * maxAbs(x0), 2 * EPS32);
      // ±3e38 columns: no float32 overflow, but float64 cancellation (Chan merges vs the plain sum): ε64 of 3e38
      expectClose(`${label} mean (±3e38)`, pick(nm, true), pick(rm, true), 16 * 2 ** -52 * 3e38);
      // ±3e38 columns: σ² ≈ 1e76 is Infinity once stored as float32, as the reference's own float32 result
      expectClose(`${label} variance`, nv, Float32Array.from(rv), 4 * EPS32, 16 * EPS32);
      if (rows >= 2) expect([rm[0], rv[0], rm[2], rv[2], rm[4]]).toEqual([Infinity, NaN, -Infinity, NaN, NaN]);
    }
  });

  it('colMeanVar: a constant column has its value as mean and variance exactly 0', () => {
    for (const rows of [1, 7, 300, 5000]) {
      const x = new Float32Array(rows * 3);
      for (let i = 0; i < rows; i++) x.set([0.1, i % 3, -7.3e5], i * 3);
      const m = new Float32Array(3), v = new Float32Array(3);
      native.colMeanVar(rows, 3, x, m, v);
      expect([m[0], v[0], m[2], v[2]]).toEqual([Math.fround(0.1), 0, Math.fround(-7.3e5), 0]);
    }
  });

  it('results do not depend on the thread count (tall and wide: block = 1 row once cols ≥ 32K)', () => {
    for (const [rows, cols] of [[200003, 19], [70001, 3], [130, 40009], [16, 40009]] as [number, number][]) {
      const x = matrix(new Rng(rows + cols), rows, cols), dy = randomF32(new Rng(cols), rows * cols);
      x[(rows >> 1) * cols + 1] = Infinity; // one recomputed column
      const runs = [1, 2].map((t) => {
        setNumThreads(t);
        const m = new Float32Array(cols), v = new Float32Array(cols), lo = new Float32Array(cols), hi = new Float32Array(cols);
        native.colMeanVar(rows, cols, x, m, v);
        native.colMinMax(rows, cols, x, lo, hi);
        const sm = new Float32Array(cols), si = new Float32Array(cols), rm = new Float32Array(cols), rv = new Float32Array(cols);
        const ones = new Float32Array(cols).fill(1), zeros = new Float32Array(cols), out = new Float32Array(rows * cols);
        native.batchNormForwardTraining(rows, cols, x, ones, zeros, 1e-5, 0.1, rm, rv, out, sm, si);
        const dg = new Float32Array(cols), db = new Float32Array(cols);
        native.batchNormBackward(rows, cols, x, dy, ones, sm, si, out, dg, db, false);
        return [...m, ...v, ...lo, ...hi, ...sm, ...si, ...rm, ...rv, ...dg, ...db];
      });
      setNumThreads(threads0);
      expect(runs[1], `${rows}x${cols}`).toEqual(runs[0]);
    }
  });

  it('wide matrices: scratch stays a fraction of the input (RSS of a child process, 16×2^20)', () => {
    // Before chunks were capped, one chunk per row kept 2·cols doubles per row: +276 MiB for this 64 MiB input.
    const addon = path.resolve(__dirname, '../../build/Release/simdgrad.node');
    const r = spawnSync(process.execPath, ['-e', `
      const b = require(${JSON.stringify(addon)});
      if (!b.selectIsa(${JSON.stringify(isa)})) throw new Error('no ISA ${isa}');
      b.setNumThreads(2);
      const rows = 16, cols = 1 << 20, x = new Float32Array(rows * cols);
      for (let i = 0; i < x.length; i++) x[i] = (i >> 20) + (i & 7);
      const [m, v, lo, hi] = [0, 1, 2, 3].map(() => new Float32Array(cols).fill(1)); // outputs' pages resident
      const before = process.memoryUsage.rss();
      b.colMeanVar(rows, cols, x, m, v);
      b.colMinMax(rows, cols, x, lo, hi);
      console.log(JSON.stringify({ grown: process.memoryUsage.rss() - before, m: m[3], v: v[3], lo: lo[3], hi: hi[3] }));
    `], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { grown: number; m: number; v: number; lo: number; hi: number };
    expect([out.m, out.lo, out.hi]).toEqual([10.5, 3, 18]); // column 3: 3 + (0..15)
    expect(out.v).toBeCloseTo(21.25, 5);
    expect(out.grown).toBeLessThan(48 * 2 ** 20); // 2·cols doubles + 3·cols floats ≈ 28 MiB
  });

  it('colAffine and colAffineInverse match the reference, in place, misaligned and streamed', () => {
    // 70001×65 floats = 18 MB crosses the 16 MiB non-temporal store threshold; subarray(1) misaligns rows.
    for (const [rows, cols] of [...SHAPES, [70001, 65] as [number, number]]) {
      const rng = new Rng(rows * 13 + cols), label = `[${isa}] ${rows}x${cols}`;
      const x = matrix(rng, rows, cols), shift = randomF32(rng, cols, -3, 3), scale = randomF32(rng, cols, 0.1, 4);
      const on = new Float32Array(rows * cols + 1).subarray(1), or = new Float64Array(rows * cols);
      native.colAffine(rows, cols, x, shift, scale, on);
      reference.colAffine(rows, cols, x, shift, scale, or);
      const tol = 2 * EPS32 * (maxAbs(x) + maxAbs(shift)) * maxAbs(scale);
      expectClose(`colAffine${label}`, on, or, tol, 2 * EPS32);
      const inPlace = x.slice();
      native.colAffine(rows, cols, inPlace, shift, scale, inPlace);
      expectClose(`colAffine in place${label}`, inPlace, on, 0);
      const back = new Float32Array(rows * cols), rback = new Float64Array(rows * cols);
      native.colAffineInverse(rows, cols, on, shift, scale, back);
      reference.colAffineInverse(rows, cols, on, shift, scale, rback);
      expectClose(`colAffineInverse${label}`, back, rback, 2 * EPS32 * (maxAbs(rback) + maxAbs(shift)), 2 * EPS32);
      native.colAffineInverse(rows, cols, on, shift, scale, on);
      expectClose(`colAffineInverse in place${label}`, on, back, 0);
    }
  });
});

describe(`batch norm native ${isa}`, () => {
  const bnShapes = SHAPES.filter(([r]) => r >= 2);

  it('training forward matches the reference (output, saved and running statistics)', () => {
    for (const [rows, cols] of bnShapes) {
      const rng = new Rng(rows * 17 + cols), label = `[${isa}] ${rows}x${cols}`;
      const x = matrix(rng, rows, cols), gamma = randomF32(rng, cols, 0.5, 2), beta = randomF32(rng, cols);
      const rm0 = randomF32(rng, cols), rv0 = randomF32(rng, cols, 0.5, 2);
      const n = { rm: rm0.slice(), rv: rv0.slice(), out: new Float32Array(rows * cols), sm: new Float32Array(cols), si: new Float32Array(cols) };
      const r = { rm: toF64(rm0), rv: toF64(rv0), out: new Float64Array(rows * cols), sm: new Float64Array(cols), si: new Float64Array(cols) };
      native.batchNormForwardTraining(rows, cols, x, gamma, beta, 1e-5, 0.1, n.rm, n.rv, n.out, n.sm, n.si);
      reference.batchNormForwardTraining(rows, cols, x, gamma, beta, 1e-5, 0.1, r.rm, r.rv, r.out, r.sm, r.si);
      expectClose(`bnTrain saveMean${label}`, n.sm, r.sm, 4 * EPS32 * maxAbs(x), 2 * EPS32);
      expectClose(`bnTrain saveInvstd${label}`, n.si, r.si, 0, 16 * EPS32);
      expectClose(`bnTrain runningMean${label}`, n.rm, r.rm, 4 * EPS32 * maxAbs(x), 2 * EPS32);
      expectClose(`bnTrain runningVar${label}`, n.rv, r.rv, 4 * EPS32, 16 * EPS32);
      // μ and r·γ rounded to float32 before use: a few ε of |x|·r·|γ| + |β|
      const tol = 8 * EPS32 * (maxAbs(x) * maxAbs(r.si) * maxAbs(gamma) + maxAbs(beta));
      expectClose(`bnTrain out${label}`, n.out, r.out, tol);
    }
  });

  it('training forward with ±Infinity and NaN columns matches the reference (running mean ±Inf, not NaN)', () => {
    for (const [rows, cols] of NONFINITE_SHAPES.filter(([r]) => r >= 2)) {
      const rng = new Rng(rows * 31 + cols), label = `[${isa}] ${rows}x${cols}`;
      const x0 = matrix(rng, rows, cols), x = withNonFinite(x0.slice(), rows, cols, false);
      const gamma = randomF32(rng, cols, 0.5, 2), beta = randomF32(rng, cols), rm0 = randomF32(rng, cols);
      const n = { rm: rm0.slice(), rv: new Float32Array(cols).fill(1), out: new Float32Array(rows * cols), sm: new Float32Array(cols), si: new Float32Array(cols) };
      const r = { rm: toF64(rm0), rv: new Float64Array(cols).fill(1), out: new Float64Array(rows * cols), sm: new Float64Array(cols), si: new Float64Array(cols) };
      native.batchNormForwardTraining(rows, cols, x, gamma, beta, 1e-5, 0.1, n.rm, n.rv, n.out, n.sm, n.si);
      reference.batchNormForwardTraining(rows, cols, x, gamma, beta, 1e-5, 0.1, r.rm, r.rv, r.out, r.sm, r.si);
      let si = 0; // max saveInvstd over the finite columns
      for (const v of r.si) if (Number.isFinite(v)) si = Math.max(si, v);
      expectClose(`bnTrain non-finite saveMean${label}`, n.sm, r.sm, 4 * EPS32 * maxAbs(x0), 2 * EPS32);
      expectClose(`bnTrain non-finite saveInvstd${label}`, n.si, r.si, 0, 16 * EPS32);
      expectClose(`bnTrain non-finite runningMean${label}`, n.rm, r.rm, 4 * EPS32 * maxAbs(x0), 2 * EPS32);
      expectClose(`bnTrain non-finite runningVar${label}`, n.rv, r.rv, 4 * EPS32, 16 * EPS32);
      expectClose(`bnTrain non-finite out${label}`, n.out, r.out, 8 * EPS32 * (maxAbs(x0) * si * maxAbs(gamma) + maxAbs(beta)));
      expect([n.rm[0], n.rm[2], n.rm[4]]).toEqual([Infinity, -Infinity, NaN]);
    }
  });

  it('inference forward matches the reference (also in place)', () => {
    for (const [rows, cols] of SHAPES) {
      const rng = new Rng(rows * 19 + cols), label = `[${isa}] ${rows}x${cols}`;
      const x = matrix(rng, rows, cols), gamma = randomF32(rng, cols, 0.5, 2), beta = randomF32(rng, cols);
      const rm = randomF32(rng, cols), rv = randomF32(rng, cols, 0.5, 2);
      const on = new Float32Array(rows * cols), or = new Float64Array(rows * cols);
      native.batchNormForwardInference(rows, cols, x, gamma, beta, 1e-5, rm, rv, on);
      reference.batchNormForwardInference(rows, cols, x, gamma, beta, 1e-5, rm, rv, or);
      expectClose(`bnInfer${label}`, on, or, 4 * EPS32 * (maxAbs(x) + maxAbs(rm)) * 1.5 * maxAbs(gamma) + 2 * EPS32 * maxAbs(beta));
      native.batchNormForwardInference(rows, cols, x, gamma, beta, 1e-5, rm, rv, x);
      expectClose(`bnInfer in place${label}`, x, on, 0);
    }
  });

  it('backward matches the reference (dx, dgamma, dbeta; accumulate and overwrite; dx = dy)', () => {
    for (const [rows, cols] of bnShapes) {
      const rng = new Rng(rows * 23 + cols), label = `[${isa}] ${rows}x${cols}`;
      const x = matrix(rng, rows, cols), dy = randomF32(rng, rows * cols), gamma = randomF32(rng, cols, 0.5, 2);
      const sm = new Float32Array(cols), si = new Float32Array(cols);
      native.batchNormForwardTraining(rows, cols, x, gamma, new Float32Array(cols), 1e-5, 0.1, new Float32Array(cols),
        new Float32Array(cols).fill(1), new Float32Array(rows * cols), sm, si);
      const g0 = randomF32(rng, cols), b0 = randomF32(rng, cols);
      for (const accumulate of [false, true]) {
        const dn = new Float32Array(rows * cols), gn = g0.slice(), bn = b0.slice();
        const dr = new Float64Array(rows * cols), gr = toF64(g0), br = toF64(b0);
        native.batchNormBackward(rows, cols, x, dy, gamma, sm, si, dn, gn, bn, accumulate);
        reference.batchNormBackward(rows, cols, x, dy, gamma, sm, si, dr, gr, br, accumulate);
        let xhat = 0; // max |x̂| = max |(x − μ)·r|
        for (let i = 0; i < rows * cols; i++) xhat = Math.max(xhat, Math.abs((x[i]! - sm[i % cols]!) * si[i % cols]!));
        const k = maxAbs(gamma) * maxAbs(si);
        // Sums: float32 within ≤ 256-row blocks, double across; observed errors ≈ ε·√rows·max|term|, allowed 16×.
        const sumTol = 16 * EPS32 * Math.sqrt(rows) * maxAbs(dy) * (1 + xhat) + 2 * EPS32 * (maxAbs(g0) + maxAbs(b0));
        expectClose(`bnBackward dbeta${label} acc=${accumulate}`, bn, br, sumTol);
        expectClose(`bnBackward dgamma${label} acc=${accumulate}`, gn, gr, sumTol);
        // dx = a·dy + b·(x − μ) + c, each term ≤ γr·max|dy|·(1 + x̂²): a few roundings of that size.
        expectClose(`bnBackward dx${label} acc=${accumulate}`, dn, dr, 8 * EPS32 * k * maxAbs(dy) * (1 + xhat * xhat));
      }
      const inPlace = dy.slice(), gn = new Float32Array(cols), bn = new Float32Array(cols);
      const ref = new Float32Array(rows * cols);
      native.batchNormBackward(rows, cols, x, dy, gamma, sm, si, ref, gn, bn, false);
      native.batchNormBackward(rows, cols, x, inPlace, gamma, sm, si, inPlace, gn, bn, false);
      expectClose(`bnBackward dx = dy${label}`, inPlace, ref, 0);
    }
  });
});

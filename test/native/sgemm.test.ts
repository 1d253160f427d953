// sgemm and sgemmBiasAct, native (the ISA this process was started with) vs the float64 reference on
// the same float32 data: every edge tile around MR/NR, depths around KC, blocks around MC/NC, all
// transpose combinations, strides, BLAS alpha/beta special cases, NaN rules, threads and determinism.
// Tolerance: |Δ| ≤ 2·(k+1)·ε·|α|·max|a|·max|b| + 2ε·|β|·max|c| + 2ε·|ref| (ε = 2^-23).
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, type Activation } from '../../lib/backend/backend';
import { backendInfo, backends, getNumThreads, setNumThreads } from '../../lib/index';
import { Rng } from '../../lib/rng';
import type { RawBinding } from '../../lib/backend/binding';
import { SMALL_GEMM_MNK } from '../../lib/backend/native';
import { EPS32, expectClose, maxAbs, randomF32, toF64 } from '../helpers/compare';

const native = backends.native!;
const reference = backends.reference;
const isa = process.env.SIMDGRAD_ISA!;
const binding = (native as unknown as { binding: RawBinding }).binding;
const cfg = binding.gemmConfig();
const narrow = cfg.narrow; // the tall tile used when n ≤ narrow.nr

interface Case {
  m: number; n: number; k: number; ta: boolean; tb: boolean;
  alpha?: number; beta?: number; pad?: number; seed?: number;
}

/** Runs one sgemm case on both backends and compares; returns the native C for further checks. */
function runCase(c: Case): Float32Array {
  const { m, n, k, ta, tb } = c;
  const alpha = c.alpha ?? 1, beta = c.beta ?? 0, pad = c.pad ?? 0;
  const rng = new Rng(c.seed ?? (m * 7919 + n * 104729 + k * 31 + (ta ? 1 : 0) + (tb ? 2 : 0)));
  const [ar, ac] = ta ? [k, m] : [m, k];
  const [br, bc] = tb ? [n, k] : [k, n];
  const lda = Math.max(1, ac + pad), ldb = Math.max(1, bc + pad), ldc = Math.max(1, n + pad);
  const a = randomF32(rng, ar === 0 ? 0 : (ar - 1) * lda + ac);
  const b = randomF32(rng, br === 0 ? 0 : (br - 1) * ldb + bc);
  const c0 = randomF32(rng, m === 0 ? 0 : (m - 1) * ldc + n);
  const cn = c0.slice();
  const cr = toF64(c0);
  native.sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, cn, ldc);
  reference.sgemm(ta, tb, m, n, k, alpha, toF64(a), lda, toF64(b), ldb, beta, cr, ldc);
  const tol = 2 * (k + 1) * EPS32 * Math.abs(alpha) * maxAbs(a) * maxAbs(b) + 2 * EPS32 * Math.abs(beta) * maxAbs(c0);
  expectClose(`sgemm[${isa}] m=${m} n=${n} k=${k} transA=${ta} transB=${tb} alpha=${alpha} beta=${beta} pad=${pad}`,
    cn, cr, tol, 2 * EPS32);
  return cn;
}

const TRANS: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

describe(`sgemm native ${isa}`, () => {
  it('runs on the ISA this process was started with', () => {
    expect(backendInfo().backend).toBe('native');
    expect(backendInfo().isa).toBe(isa);
  });

  it('edge tiles: m ≤ 2·MR+1, n ≤ 2·NR+1, depths around 0, 1..17 and KC', () => {
    const ms = [1, 2, cfg.mr - 1, cfg.mr, cfg.mr + 1, 2 * cfg.mr + 1].filter((v) => v >= 1);
    const ns = [1, 3, cfg.nr - 1, cfg.nr, cfg.nr + 1, 2 * cfg.nr + 1].filter((v) => v >= 1);
    const ks = [0, 1, 2, 5, 17, cfg.kc - 1, cfg.kc, cfg.kc + 1];
    for (const [ta, tb] of TRANS) for (const m of ms) for (const n of ns) for (const k of ks) runCase({ m, n, k, ta, tb });
  });

  it('narrow tile: n ≤ its NR, m around its MR and MC, every transpose', () => {
    const ms = [1, narrow.mr - 1, narrow.mr, narrow.mr + 1, 2 * narrow.mr + 1, narrow.mc + 1].filter((v) => v >= 1);
    const ns = [1, 2, 10, narrow.nr - 1, narrow.nr].filter((v) => v >= 1 && v <= narrow.nr);
    for (const [ta, tb] of TRANS) for (const m of ms) for (const n of ns) for (const k of [1, 10, 128, narrow.kc + 1]) {
      runCase({ m, n, k, ta, tb, alpha: 1.25, beta: 0.5, pad: m % 2 });
    }
  });

  it('narrow C (n ≤ 12, the column kernel where the ISA has one): every n, m around 16 and 32', () => {
    for (const [ta, tb] of TRANS) for (let n = 1; n <= 12; n++) for (const m of [1, 15, 16, 17, 31, 32, 33, 100]) {
      for (const k of [1, 7, narrow.kc + 1]) runCase({ m, n, k, ta, tb, alpha: 0.75, beta: n % 2 ? 0 : 0.5, pad: k % 2 });
    }
    runCase({ m: 1000, n: 10, k: 300, ta: true, tb: false }); // threaded
    runCase({ m: 1000, n: 10, k: 300, ta: false, tb: true });
  });

  it('every m ≤ 2·MR+1 × every n ≤ 2·NR+1, depths cycling through 0, 1..17, KC−1, KC, KC+1', () => {
    const ks = [0, ...Array.from({ length: 17 }, (_, i) => i + 1), cfg.kc - 1, cfg.kc, cfg.kc + 1];
    let i = 0;
    for (let m = 1; m <= 2 * cfg.mr + 1; m++) {
      for (let n = 1; n <= 2 * cfg.nr + 1; n++, i++) {
        const [ta, tb] = TRANS[i % 4]!;
        runCase({ m, n, k: ks[i % ks.length]!, ta, tb, alpha: i % 3 ? 1 : -0.5, beta: i % 5 ? 0 : 0.5 });
      }
    }
    for (const k of ks) for (const [ta, tb] of TRANS) runCase({ m: cfg.mr + 1, n: cfg.nr + 1, k, ta, tb });
  });

  it('crosses MC, NC and KC block boundaries', () => {
    for (const m of [cfg.mc - 1, cfg.mc, cfg.mc + 1]) runCase({ m, n: 40, k: 33, ta: false, tb: true });
    for (const n of [cfg.nc - 1, cfg.nc + 1]) runCase({ m: 9, n, k: 6, ta: true, tb: false });
    runCase({ m: cfg.mc + 3, n: 70, k: 2 * cfg.kc + 5, ta: true, tb: true, alpha: 0.5, beta: 0.25 });
  });

  it('leading dimensions that are multiples of 4 KiB (operands packed rather than read in place)', () => {
    // m, n and k off every tile, band and block size; the padding puts B's (then A's) rows 2048 floats apart
    const [m, n, k] = [37, 2 * cfg.nr + 6, cfg.kc + 17];
    for (const [ta, tb] of TRANS) {
      runCase({ m, n, k, ta, tb, pad: 2048 - (tb ? k : n) });
      runCase({ m, n, k, ta, tb, pad: 2048 - (ta ? m : k), alpha: 0.5, beta: 2 });
    }
  });

  it('operands read in place or packed: many B slivers, strides that alias in L2', () => {
    for (const [ta, tb] of TRANS) {
      // more B slivers per thread (even with 2 threads) than a plain A is read in place for: A packed
      runCase({ m: 2 * cfg.mr + 3, n: 2 * 17 * cfg.nr + 5, k: 50, ta, tb });
      // rows 6 KiB apart fall on 32 L2 set positions: with AVX-512's KC (1024) more than 8 rows share one,
      // so B (then a transposed A) is packed; AVX2's KC of 256 puts 8 on each and reads them in place
      runCase({ m: 30, n: 1536, k: 300, ta, tb });
      runCase({ m: 1536, n: 20, k: 600, ta, tb });
    }
  });

  it('both sides of the small-GEMM threshold (m·n·k ≤ SMALL_GEMM_MNK runs the TypeScript kernel)', () => {
    const sizes: [number, number, number][] = [[4, 4, 4], [4, 4, 8], [2, 8, 8], [5, 5, 5], [8, 8, 8], [1, 1, 129]];
    expect(sizes.some(([m, n, k]) => m * n * k <= SMALL_GEMM_MNK)).toBe(true);
    expect(sizes.some(([m, n, k]) => m * n * k > SMALL_GEMM_MNK)).toBe(true);
    for (const [m, n, k] of sizes) for (const [ta, tb] of TRANS) runCase({ m, n, k, ta, tb, alpha: 1.5, beta: 0.5 });
  });

  it('sizes 0 leave C alone or scale it', () => {
    for (const [ta, tb] of TRANS) {
      runCase({ m: 0, n: 5, k: 3, ta, tb });
      runCase({ m: 4, n: 0, k: 3, ta, tb });
      runCase({ m: 4, n: 5, k: 0, ta, tb, beta: 0.5 });
      runCase({ m: 4, n: 5, k: 0, ta, tb, beta: 0 });
    }
  });

  it('strided leading dimensions, odd and prime sizes, alpha/beta combinations', () => {
    const ab: [number, number][] = [[1, 0], [-0.5, 0], [2, 1], [0.75, -1.5], [0, 0.5], [0, 0], [1, 1]];
    for (const [ta, tb] of TRANS) {
      for (const [alpha, beta] of ab) runCase({ m: 23, n: 37, k: 41, ta, tb, alpha, beta, pad: 3 });
      runCase({ m: 97, n: 53, k: 101, ta, tb, pad: 1 });
    }
  });

  it('large random shapes (threaded)', () => {
    const rng = new Rng(20261125);
    for (let t = 0; t < 6; t++) {
      const [ta, tb] = TRANS[t % 4]!;
      runCase({ m: 100 + rng.int(300), n: 100 + rng.int(300), k: 100 + rng.int(600), ta, tb, alpha: 1.5, beta: 0.5, seed: t });
    }
    runCase({ m: 512, n: 512, k: 512, ta: false, tb: false });
  });

  it('beta = 0 never reads C (NaN in C is overwritten); alpha = 0 never reads A or B', () => {
    const m = 19, n = 35, k = 7;
    const a = randomF32(new Rng(1), m * k), b = randomF32(new Rng(2), k * n);
    const c = new Float32Array(m * n).fill(NaN);
    native.sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n);
    expect(c.every((v) => Number.isFinite(v))).toBe(true);
    const an = new Float32Array(m * k).fill(NaN), bn = new Float32Array(k * n).fill(NaN);
    const c2 = new Float32Array(m * n).fill(3);
    native.sgemm(false, false, m, n, k, 0, an, k, bn, n, 0.5, c2, n);
    expect(c2.every((v) => v === 1.5)).toBe(true);
    native.sgemm(false, false, m, n, k, 0, an, k, bn, n, 0, c2, n);
    expect(c2.every((v) => v === 0)).toBe(true);
  });

  it('a NaN in A makes exactly its row of C NaN; a NaN in B its column', () => {
    const m = 30, n = 40, k = 20;
    const a = randomF32(new Rng(3), m * k), b = randomF32(new Rng(4), k * n);
    a[7 * k + 3] = NaN;
    b[5 * n + 11] = NaN;
    const c = new Float32Array(m * n);
    native.sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) expect(Number.isNaN(c[i * n + j]!)).toBe(i === 7 || j === 11);
    }
  });

  it('gives bit-identical results for 1 and 2 threads', () => {
    const before = getNumThreads();
    try {
      for (const [ta, tb] of TRANS) {
        setNumThreads(1);
        const one = runCase({ m: 333, n: 201, k: 300, ta, tb, seed: 9 });
        setNumThreads(2);
        const two = runCase({ m: 333, n: 201, k: 300, ta, tb, seed: 9 });
        expect(Buffer.compare(Buffer.from(one.buffer), Buffer.from(two.buffer))).toBe(0);
      }
    } finally {
      setNumThreads(before);
    }
  });
});

describe(`sgemmBiasAct native ${isa}`, () => {
  function runFused(m: number, n: number, k: number, ta: boolean, tb: boolean, withBias: boolean, act: Activation): void {
    const rng = new Rng(m * 31 + n * 17 + k + ACTIVATIONS.indexOf(act) * 1000 + (withBias ? 7 : 0));
    const a = randomF32(rng, m * k), b = randomF32(rng, k * n);
    const bias = withBias ? randomF32(rng, n) : null;
    const param = act === 'leakyRelu' ? 0.2 : 0;
    const cn = new Float32Array(m * n).fill(NaN), cr = new Float64Array(m * n);
    const [lda, ldb] = [ta ? m : k, tb ? k : n].map((v) => Math.max(1, v)) as [number, number];
    native.sgemmBiasAct(ta, tb, m, n, k, a, lda, b, ldb, bias, act, param, cn, Math.max(1, n));
    reference.sgemmBiasAct(ta, tb, m, n, k, toF64(a), lda, toF64(b), ldb, bias && toF64(bias), act, param, cr, Math.max(1, n));
    // the activations are 1.13-Lipschitz at most (gelu); their float32 evaluation adds a few ulp.
    const tol = 1.2 * (2 * (k + 1) * EPS32 * maxAbs(a) * maxAbs(b) + 2 * EPS32 * (bias ? maxAbs(bias) : 0)) + 2e-6;
    expectClose(`sgemmBiasAct[${isa}] ${m}x${n}x${k} transA=${ta} transB=${tb} bias=${withBias} act=${act}`, cn, cr, tol, 8 * EPS32);
  }

  it('matches the reference for every activation, with and without bias, across KC blocks', () => {
    for (const act of ACTIVATIONS) {
      for (const withBias of [false, true]) {
        runFused(cfg.mr + 1, cfg.nr + 3, 9, false, false, withBias, act);
        runFused(37, 45, cfg.kc + 7, true, false, withBias, act);
        runFused(128, 130, 70, false, true, withBias, act);
        runFused(3, 2, 0, false, false, withBias, act);
        runFused(70, 10, 130, false, false, withBias, act);
        runFused(33, 7, cfg.kc + 3, true, true, withBias, act);
      }
    }
  });
});

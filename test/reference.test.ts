// Tests for the reference backend (lib/backend/reference.ts) and its validators (lib/backend/check.ts):
// hand-computed cases for every kernel in float64 and float32, BLAS edge semantics, activation values,
// finite-difference checks of activationBackward, and every validator's error class and message.
// Not here: native-vs-reference comparison (the parametrized backend suite does that).
import { describe, expect, it } from 'vitest';
import type { Activation, FloatArray } from '../lib/backend/backend';
import { ACTIVATIONS } from '../lib/backend/backend';
import { reference as R } from '../lib/backend/reference';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const DTYPES: ReadonlyArray<readonly [string, Ctor]> = [['Float64Array', Float64Array], ['Float32Array', Float32Array]];

/** A rows×cols matrix stored with row stride ld; the padding columns hold `pad` (NaN: must not be read). */
function strided(T: Ctor, rows: number[][], ld: number, pad = NaN): FloatArray {
  const cols = rows[0]?.length ?? 0;
  const out = new T(rows.length === 0 ? 0 : (rows.length - 1) * ld + cols).fill(pad);
  rows.forEach((r, i) => r.forEach((v, j) => { out[i * ld + j] = v; }));
  return out;
}

/** Read an m×n matrix with stride ld back into nested arrays. */
function read(c: FloatArray, m: number, n: number, ld: number): number[][] {
  return Array.from({ length: m }, (_, i) => Array.from(c.subarray(i * ld, i * ld + n)));
}

const A = [[1, 2, 3], [4, 5, 6]]; // 2×3
const B = [[7, 8], [9, 10], [11, 12]]; // 3×2
const AB = [[58, 64], [139, 154]];
const transpose = (x: number[][]): number[][] => x[0]!.map((_, j) => x.map((r) => r[j]!));

describe.each(DTYPES)('sgemm (%s)', (_name, T) => {
  const combos = [[false, false], [true, false], [false, true], [true, true]] as const;
  it.each(combos)('transA=%s transB=%s, tight and strided leading dimensions', (tA, tB) => {
    for (const pad of [0, 2]) {
      const sa = tA ? transpose(A) : A;
      const sb = tB ? transpose(B) : B;
      const lda = sa[0]!.length + pad;
      const ldb = sb[0]!.length + pad;
      const ldc = 2 + pad;
      const a = strided(T, sa, lda);
      const b = strided(T, sb, ldb);
      const c = strided(T, [[1, 2], [3, 4]], ldc, 777);
      R.sgemm(tA, tB, 2, 2, 3, 2, a, lda, b, ldb, 0.5, c, ldc);
      expect(read(c, 2, 2, ldc)).toEqual([[116.5, 129], [279.5, 310]]); // 2·AB + 0.5·C
      if (pad > 0) expect(c[2]).toBe(777); // C's padding is not written
    }
  });

  it('beta = 0 does not read C: NaN and Inf in C are overwritten', () => {
    const c = new T([NaN, Infinity, -Infinity, NaN]);
    R.sgemm(false, false, 2, 2, 3, 1, new T(A.flat()), 3, new T(B.flat()), 2, 0, c, 2);
    expect(Array.from(c)).toEqual(AB.flat());
  });

  it('alpha = 0 does not read A or B: C = beta·C, and zeros when beta = 0', () => {
    const a = new T(6).fill(NaN);
    const b = new T(6).fill(Infinity);
    const c = new T([1, 2, 3, 4]);
    R.sgemm(false, false, 2, 2, 3, 0, a, 3, b, 2, 2, c, 2);
    expect(Array.from(c)).toEqual([2, 4, 6, 8]);
    const c0 = new T([NaN, 1, 2, NaN]);
    R.sgemm(false, false, 2, 2, 3, 0, a, 3, b, 2, 0, c0, 2);
    expect(Array.from(c0)).toEqual([0, 0, 0, 0]);
  });

  it('k = 0: C = beta·C (A and B empty)', () => {
    const c = new T([1, -2, 3, 4]);
    R.sgemm(false, false, 2, 2, 0, 5, new T(0), 1, new T(0), 2, 3, c, 2);
    expect(Array.from(c)).toEqual([3, -6, 9, 12]);
    R.sgemm(true, true, 2, 2, 0, 5, new T(0), 2, new T(0), 1, 0, c, 2);
    expect(Array.from(c)).toEqual([0, 0, 0, 0]);
  });

  it('m = 0 or n = 0 touches nothing', () => {
    const c = new T([9]);
    R.sgemm(false, false, 0, 1, 3, 1, new T(0), 3, new T(3), 1, 0, c, 1);
    R.sgemm(false, false, 1, 0, 3, 1, new T(3), 3, new T(0), 1, 0, c, 1);
    expect(c[0]).toBe(9);
  });

  it('a NaN in A makes only the affected row of C NaN; Inf·0 gives NaN', () => {
    const a = new T(A.flat());
    a[4] = NaN; // row 1 of A
    const c = new T(4);
    R.sgemm(false, false, 2, 2, 3, 1, a, 3, new T(B.flat()), 2, 0, c, 2);
    expect(Array.from(c.subarray(0, 2))).toEqual([58, 64]);
    expect(Array.from(c.subarray(2)).every(Number.isNaN)).toBe(true);
    const c1 = new T(1);
    R.sgemm(false, false, 1, 1, 1, 1, new T([Infinity]), 1, new T([0]), 1, 0, c1, 1);
    expect(c1[0]).toBeNaN();
  });
});

describe('sgemm precision and dtypes', () => {
  it('accumulates in float64 even for Float32Array inputs', () => {
    const c = new Float32Array(1);
    R.sgemm(false, false, 1, 1, 3, 1, new Float32Array([1e8, 1, -1e8]), 3, new Float32Array([1, 1, 1]), 1, 0, c, 1);
    expect(c[0]).toBe(1); // a float32 accumulator gives 0
  });

  it('rounds once into a Float32Array destination; mixed dtypes are accepted', () => {
    const c = new Float32Array(1);
    const a = new Float64Array([0.1, 0.2]);
    R.sgemm(false, false, 1, 1, 2, 1, a, 2, new Float32Array([3, 7]), 1, 0, c, 1);
    expect(c[0]).toBe(Math.fround(0.1 * 3 + 0.2 * 7));
  });
});

describe('sgemmBiasAct', () => {
  it('relu(A·B + bias) by hand, and bias = null', () => {
    const c = new Float64Array(4);
    const bias = new Float64Array([-100, -64]);
    R.sgemmBiasAct(false, false, 2, 2, 3, new Float64Array(A.flat()), 3, new Float64Array(B.flat()), 2,
      bias, 'relu', 0, c, 2);
    expect(Array.from(c)).toEqual([0, 0, 39, 90]);
    R.sgemmBiasAct(true, true, 2, 2, 3, new Float64Array(transpose(A).flat()), 2,
      new Float64Array(transpose(B).flat()), 3, null, 'none', 0, c, 2);
    expect(Array.from(c)).toEqual(AB.flat());
  });

  it.each(ACTIVATIONS)('%s equals sgemm + biasAdd + activationForward, C not read', (act) => {
    const a = new Float64Array([0.3, -1.2, 0.7, 2.1, -0.4, 0.05]);
    const b = new Float64Array([0.5, -0.25, 1.5, 0.1, -0.8, 0.9]);
    const bias = new Float64Array([0.2, -0.3]);
    const want = new Float64Array(4);
    R.sgemm(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, want, 2);
    R.biasAdd(2, 2, want, bias, want);
    R.activationForward(act, 0.1, 4, want, want);
    const c = new Float64Array(4).fill(NaN);
    R.sgemmBiasAct(false, false, 2, 2, 3, a, 3, b, 2, bias, act, 0.1, c, 2);
    expect(Array.from(c)).toEqual(Array.from(want));
  });
});

describe('vector kernels', () => {
  it.each(DTYPES)('axpy, scale, add, mul by hand (%s)', (_n, T) => {
    const y = new T([1, 2, 3, 99]);
    R.axpy(3, 2, new T([10, 20, 30]), y);
    expect(Array.from(y)).toEqual([21, 42, 63, 99]);
    R.axpy(3, 0, new T([NaN, NaN, NaN]), y); // alpha = 0: x is not read (netlib daxpy)
    expect(Array.from(y)).toEqual([21, 42, 63, 99]);
    const out = new T(3);
    R.scale(3, -0.5, new T([2, 4, NaN]), out);
    expect(Array.from(out)).toEqual([-1, -2, NaN]);
    R.scale(1, 0, new T([NaN]), out);
    expect(out[0]).toBeNaN(); // scale reads x even for alpha = 0
    const a = new T([1, 2, 3]);
    R.add(3, a, new T([4, 5, 6]), a); // out aliases a
    expect(Array.from(a)).toEqual([5, 7, 9]);
    R.mul(3, a, a, a);
    expect(Array.from(a)).toEqual([25, 49, 81]);
  });

  it.each(DTYPES)('biasAdd and colSum by hand (%s)', (_n, T) => {
    const x = new T([1, 2, 3, 4, 5, 6]); // 2×3
    const out = new T(6);
    R.biasAdd(2, 3, x, new T([10, 20, 30]), out);
    expect(Array.from(out)).toEqual([11, 22, 33, 14, 25, 36]);
    const s = new T([NaN, NaN, NaN]);
    R.colSum(2, 3, 1, x, 0, s); // beta = 0: out is not read
    expect(Array.from(s)).toEqual([5, 7, 9]);
    R.colSum(2, 3, 2, x, 0.5, s);
    expect(Array.from(s)).toEqual([12.5, 17.5, 22.5]);
    R.colSum(0, 3, 1, x, 3, s); // no rows: beta·out
    expect(Array.from(s)).toEqual([37.5, 52.5, 67.5]);
  });

  it('colSum accumulates in float64', () => {
    const s = new Float32Array(1);
    R.colSum(3, 1, 1, new Float32Array([1e8, 1, -1e8]), 0, s);
    expect(s[0]).toBe(1);
  });
});

function fwd(act: Activation, x: number, p = 0.1): number {
  const out = new Float64Array(1);
  R.activationForward(act, p, 1, new Float64Array([x]), out);
  return out[0]!;
}

function bwd(act: Activation, x: number, dy = 1, p = 0.1): number {
  const dx = new Float64Array(1);
  R.activationBackward(act, p, 1, new Float64Array([x]), new Float64Array([fwd(act, x, p)]), new Float64Array([dy]), dx);
  return dx[0]!;
}

describe('activations', () => {
  it('forward at known points', () => {
    expect(fwd('sigmoid', 0)).toBe(0.5);
    expect(fwd('sigmoid', 800)).toBe(1);
    expect(fwd('sigmoid', -800)).toBe(0); // no overflow, no NaN
    expect(Math.abs(fwd('sigmoid', -30) / 9.357622968839299e-14 - 1)).toBeLessThan(1e-15);
    expect(fwd('tanh', 0.5)).toBe(Math.tanh(0.5));
    expect(fwd('relu', -3)).toBe(0);
    expect(fwd('relu', 2.5)).toBe(2.5);
    expect(Object.is(fwd('relu', -0), -0)).toBe(true);
    expect(fwd('leakyRelu', -2, 0.1)).toBeCloseTo(-0.2, 15);
    expect(fwd('leakyRelu', 3, 0.1)).toBe(3);
    expect(fwd('none', -7)).toBe(-7);
    expect(fwd('gelu', 0)).toBe(0);
    const gelu: Array<[number, number]> = [[1, 0.8413447460685429], [-1, -0.15865525393145705],
      [3, 2.99595030590511], [0.5, 0.34573123063700656]];
    for (const [x, want] of gelu) expect(Math.abs(fwd('gelu', x) / want - 1)).toBeLessThan(4e-16);
    // Far tail: erfc(7.07) amplifies the rounding of x/√2 by 2x² ≈ 100, so ~1e-14 relative, not 0.
    expect(Math.abs(fwd('gelu', -10) / -7.619853024160526e-23 - 1)).toBeLessThan(2e-14);
  });

  it.each(ACTIVATIONS)('%s propagates NaN forward', (act) => {
    expect(fwd(act, NaN)).toBeNaN();
  });

  it('backward at known points', () => {
    expect(bwd('tanh', 0)).toBe(1);
    expect(bwd('sigmoid', 0, 2)).toBe(0.5); // 2·0.5·0.5
    expect(bwd('relu', 3, 7)).toBe(7);
    expect(bwd('relu', -3, 7)).toBe(0);
    expect(bwd('relu', 0, 7)).toBe(0); // gradient at the kink is 0 (PyTorch threshold_backward)
    expect(bwd('leakyRelu', -3, 7, 0.1)).toBeCloseTo(0.7, 15);
    expect(bwd('leakyRelu', 0, 7, 0.1)).toBeCloseTo(0.7, 15);
    expect(bwd('none', 5, 3)).toBe(3);
    expect(bwd('gelu', 0)).toBe(0.5);
    expect(Math.abs(bwd('gelu', 1) / 1.0833154705876864 - 1)).toBeLessThan(4e-16);
    expect(Math.abs(bwd('gelu', -1) / -0.0833154705876863 - 1)).toBeLessThan(4e-15);
  });

  it('backward with NaN: PyTorch semantics', () => {
    const dx = new Float64Array(1);
    const nan = new Float64Array([NaN]);
    const dy = new Float64Array([2]);
    R.activationBackward('relu', 0, 1, null, nan, dy, dx);
    expect(dx[0]).toBe(2); // threshold_backward: NaN <= 0 is false, dy passes
    R.activationBackward('leakyRelu', 0.1, 1, null, nan, dy, dx);
    expect(dx[0]).toBeCloseTo(0.2, 15);
    for (const act of ['sigmoid', 'tanh'] as const) {
      R.activationBackward(act, 0, 1, null, nan, dy, dx);
      expect(dx[0]).toBeNaN();
    }
    R.activationBackward('gelu', 0, 1, nan, null, dy, dx);
    expect(dx[0]).toBeNaN();
  });

  it.each(ACTIVATIONS)('%s backward matches central finite differences (float64)', (act) => {
    const h = 1e-6;
    for (let x = -4.05; x < 4; x += 0.1) { // grid avoids the kink at 0
      const dy = 0.5 + Math.abs(x);
      const fd = dy * (fwd(act, x + h) - fwd(act, x - h)) / (2 * h);
      const got = bwd(act, x, dy);
      if (Math.abs(got - fd) > 1e-8 * (1 + Math.abs(fd))) {
        throw new Error(`${act}'(${x}): backward ${got}, finite difference ${fd}`);
      }
    }
  });

  it('Float32Array in and out, dx aliasing dy', () => {
    const x = new Float32Array([-1, 0, 1, 2]);
    const y = new Float32Array(4);
    R.activationForward('sigmoid', 0, 4, x, y);
    expect(y[2]).toBe(Math.fround(1 / (1 + Math.exp(-1))));
    const d = new Float32Array([1, 1, 1, 1]);
    R.activationBackward('sigmoid', 0, 4, null, y, d, d);
    expect(d[1]).toBe(0.25);
    expect(d[2]).toBe(Math.fround((1 - y[2]!) * y[2]!));
  });
});

// ---- validators: each throws the right class with a message naming the argument and the numbers ----

type Case = readonly [label: string, call: () => void, cls: typeof TypeError | typeof RangeError, msg: RegExp];
const f = (n: number): Float64Array => new Float64Array(n);
const bad = (v: unknown): FloatArray => v as FloatArray; // deliberately wrong types, as plain JS would pass
const badN = (v: unknown): number => v as number;

/** A valid sgemm call (m=3, n=4, k=5, tight) with one argument replaced. */
function sgemmWith(o: Partial<{ tA: unknown; m: number; n: number; k: number; alpha: number; beta: number;
  a: FloatArray; lda: number; b: FloatArray; ldb: number; c: FloatArray; ldc: number }>): () => void {
  return () => R.sgemm(o.tA === undefined ? false : (o.tA as boolean), false, o.m ?? 3, o.n ?? 4, o.k ?? 5,
    o.alpha ?? 1, o.a ?? f(15), o.lda ?? 5, o.b ?? f(20), o.ldb ?? 4, o.beta ?? 0, o.c ?? f(12), o.ldc ?? 4);
}

const shared = new Float64Array(64);
const SGEMM_CASES: Case[] = [
  ['a plain Array', sgemmWith({ a: bad([1, 2]) }), TypeError, /^sgemm: a must be a Float32Array or Float64Array, got Array$/],
  ['a number', sgemmWith({ a: bad(3) }), TypeError, /^sgemm: a must be .*, got number$/],
  ['b undefined', () => R.sgemm(false, false, 3, 4, 5, 1, f(15), 5, bad(undefined), 4, 0, f(12), 4), TypeError, /^sgemm: b must be .*, got undefined$/],
  ['c Int32Array', sgemmWith({ c: bad(new Int32Array(12)) }), TypeError, /^sgemm: c must be .*, got Int32Array$/],
  ['transA not boolean', sgemmWith({ tA: 0 }), TypeError, /^sgemm: transA must be a boolean, got 0$/],
  ['m negative', sgemmWith({ m: -1 }), RangeError, /^sgemm: m must be a non-negative integer, got -1$/],
  ['n NaN', sgemmWith({ n: NaN }), RangeError, /^sgemm: n must be a non-negative integer, got NaN$/],
  ['k non-integer', sgemmWith({ k: 2.5 }), RangeError, /^sgemm: k must be a non-negative integer, got 2\.5$/],
  ['m = 2**53', sgemmWith({ m: 2 ** 53 }), RangeError, /^sgemm: m must be a non-negative integer, got 9007199254740992 \(above Number\.MAX_SAFE_INTEGER\)$/],
  ['k a string', sgemmWith({ k: badN('5') }), TypeError, /^sgemm: k must be a non-negative integer, got string$/],
  ['alpha NaN', sgemmWith({ alpha: NaN }), RangeError, /^sgemm: alpha must be a finite number, got NaN$/],
  ['beta Infinity', sgemmWith({ beta: Infinity }), RangeError, /^sgemm: beta must be a finite number, got Infinity$/],
  ['alpha a string', sgemmWith({ alpha: badN('1') }), TypeError, /^sgemm: alpha must be a finite number, got string$/],
  ['lda too small', sgemmWith({ lda: 3 }), RangeError, /^sgemm: lda 3 < 5 \(columns of A, transA=false\)$/],
  ['lda too small, transA', () => R.sgemm(true, false, 3, 4, 5, 1, f(15), 2, f(20), 4, 0, f(12), 4), RangeError, /^sgemm: lda 2 < 3 \(columns of A, transA=true\)$/],
  ['ldb too small, transB', () => R.sgemm(false, true, 3, 4, 5, 1, f(15), 5, f(20), 4, 0, f(12), 4), RangeError, /^sgemm: ldb 4 < 5 \(columns of B, transB=true\)$/],
  ['ldc = 0 with n = 0', sgemmWith({ n: 0, b: f(0), ldb: 1, c: f(0), ldc: 0 }), RangeError, /^sgemm: ldc 0 < 1 \(columns of C\)$/],
  ['a too short, tight', sgemmWith({ a: f(12) }), RangeError, /^sgemm: a\.length 12 < m\*k = 15$/],
  ['a too short, transposed', () => R.sgemm(true, false, 3, 4, 5, 1, f(14), 3, f(20), 4, 0, f(12), 4), RangeError, /^sgemm: a\.length 14 < k\*m = 15$/],
  ['a too short, strided', sgemmWith({ a: f(12), lda: 6 }), RangeError, /^sgemm: a\.length 12 < \(rows-1\)\*lda \+ cols = 17 \(A is 3×5, lda=6\)$/],
  ['b too short', sgemmWith({ b: f(19) }), RangeError, /^sgemm: b\.length 19 < k\*n = 20$/],
  ['c too short, strided', sgemmWith({ c: f(13), ldc: 5 }), RangeError, /^sgemm: c\.length 13 < \(rows-1\)\*ldc \+ cols = 14 \(C is 3×4, ldc=5\)$/],
  ['c aliases a', () => { const a = f(15); R.sgemm(false, false, 3, 4, 5, 1, a, 5, f(20), 4, 0, a, 4); }, RangeError, /^sgemm: c must not overlap a: they share an ArrayBuffer and bytes \[0, 96\) of c overlap bytes \[0, 120\) of a$/],
  ['c overlaps b in one buffer', () => R.sgemm(false, false, 3, 4, 5, 1, f(15), 5, shared.subarray(0, 20), 4, 0, shared.subarray(19, 31), 4), RangeError, /^sgemm: c must not overlap b: .*bytes \[152, 248\) of c overlap bytes \[0, 160\) of b$/],
];

const OTHER_CASES: Case[] = [
  ['unknown activation', () => R.activationForward(badN('softmax') as unknown as Activation, 0, 1, f(1), f(1)), TypeError,
    /^activationForward: act must be one of 'none', 'relu', 'leakyRelu', 'sigmoid', 'tanh', 'gelu', got 'softmax'$/],
  ['act undefined', () => R.sgemmBiasAct(false, false, 1, 1, 1, f(1), 1, f(1), 1, null, undefined as unknown as Activation, 0, f(1), 1), TypeError, /^sgemmBiasAct: act must be one of .*, got undefined$/],
  ['negative leakyRelu slope', () => R.activationForward('leakyRelu', -0.1, 1, f(1), f(1)), RangeError, /^activationForward: actParam \(leakyRelu negative slope\) must be >= 0, got -0\.1/],
  ['actParam NaN', () => R.activationForward('relu', NaN, 1, f(1), f(1)), RangeError, /^activationForward: actParam must be a finite number, got NaN$/],
  ['bias a plain Array', () => R.sgemmBiasAct(false, false, 1, 2, 1, f(1), 1, f(2), 2, bad([0, 0]), 'none', 0, f(2), 2), TypeError, /^sgemmBiasAct: bias must be null or a Float32Array or Float64Array, got Array$/],
  ['bias too short', () => R.sgemmBiasAct(false, false, 1, 4, 1, f(1), 1, f(4), 4, f(3), 'relu', 0, f(4), 4), RangeError, /^sgemmBiasAct: bias\.length 3 < n = 4$/],
  ['sgemmBiasAct a too short', () => R.sgemmBiasAct(false, false, 2, 2, 3, f(5), 3, f(6), 2, null, 'none', 0, f(4), 2), RangeError, /^sgemmBiasAct: a\.length 5 < m\*k = 6$/],
  ['axpy x too short', () => R.axpy(4, 1, f(3), f(4)), RangeError, /^axpy: x\.length 3 < n = 4$/],
  ['axpy y Array', () => R.axpy(1, 1, f(1), bad([0])), TypeError, /^axpy: y must be a Float32Array or Float64Array, got Array$/],
  ['axpy partial overlap', () => R.axpy(4, 1, shared.subarray(0, 4), shared.subarray(1, 5)), RangeError, /^axpy: y must not partially overlap \(only exact aliasing is allowed\) x/],
  ['scale n negative', () => R.scale(-2, 1, f(1), f(1)), RangeError, /^scale: n must be a non-negative integer, got -2$/],
  ['scale alpha -Infinity', () => R.scale(1, -Infinity, f(1), f(1)), RangeError, /^scale: alpha must be a finite number, got -Infinity$/],
  ['add out too short', () => R.add(3, f(3), f(3), f(2)), RangeError, /^add: out\.length 2 < n = 3$/],
  ['mul b Int32Array', () => R.mul(1, f(1), bad(new Int32Array(1)), f(1)), TypeError, /^mul: b must be a Float32Array or Float64Array, got Int32Array$/],
  ['biasAdd bias too short', () => R.biasAdd(2, 3, f(6), f(2), f(6)), RangeError, /^biasAdd: bias\.length 2 < cols = 3$/],
  ['biasAdd x too short', () => R.biasAdd(2, 3, f(5), f(3), f(6)), RangeError, /^biasAdd: x\.length 5 < rows\*cols = 6$/],
  ['biasAdd cols NaN', () => R.biasAdd(2, NaN, f(6), f(3), f(6)), RangeError, /^biasAdd: cols must be a non-negative integer, got NaN$/],
  ['colSum out too short', () => R.colSum(2, 3, 1, f(6), 0, f(2)), RangeError, /^colSum: out\.length 2 < cols = 3$/],
  ['colSum x too short', () => R.colSum(2, 3, 1, f(5), 0, f(3)), RangeError, /^colSum: x\.length 5 < rows\*cols = 6$/],
  ['colSum beta NaN', () => R.colSum(2, 3, 1, f(6), NaN, f(3)), RangeError, /^colSum: beta must be a finite number, got NaN$/],
  ['colSum out overlaps x', () => R.colSum(2, 3, 1, shared.subarray(0, 6), 0, shared.subarray(5, 8)), RangeError, /^colSum: out must not overlap x/],
  ['relu backward without y', () => R.activationBackward('relu', 0, 1, f(1), null, f(1), f(1)), TypeError, /^activationBackward: y must be a Float32Array or Float64Array for act 'relu' \(its gradient is computed from the activation output y\), got null$/],
  ['gelu backward without x', () => R.activationBackward('gelu', 0, 1, null, f(1), f(1), f(1)), TypeError, /^activationBackward: x must be .* for act 'gelu' \(its gradient is computed from the activation input x\), got null$/],
  ['backward y too short', () => R.activationBackward('tanh', 0, 3, null, f(2), f(3), f(3)), RangeError, /^activationBackward: y\.length 2 < n = 3$/],
  ['backward x Array', () => R.activationBackward('gelu', 0, 1, bad([1]), null, f(1), f(1)), TypeError, /^activationBackward: x must be null or a Float32Array or Float64Array, got Array$/],
];

describe('validators', () => {
  it.each([...SGEMM_CASES, ...OTHER_CASES])('%s', (_label, call, cls, msg) => {
    let err: unknown;
    try { call(); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(cls);
    expect((err as Error).message).toMatch(msg);
  });

  it('accepts what the contract allows: empty shapes, exact aliasing, disjoint views of one buffer', () => {
    const buf = new Float64Array(40);
    expect(() => R.sgemm(false, false, 3, 4, 5, 1, buf.subarray(0, 15), 5, buf.subarray(15, 35), 4, 0, f(12), 4)).not.toThrow();
    expect(() => R.sgemm(false, false, 0, 0, 0, 1, f(0), 1, f(0), 1, 0, f(0), 1)).not.toThrow();
    const x = new Float32Array([1, 2]);
    expect(() => R.axpy(2, 1, x, x)).not.toThrow();
    expect(Array.from(x)).toEqual([2, 4]);
    expect(() => R.activationBackward('none', 0, 1, null, null, f(1), f(1))).not.toThrow();
    expect(() => R.activationForward('leakyRelu', 0, 1, f(1), f(1))).not.toThrow();
  });

  it('a failed call writes nothing', () => {
    const c = new Float64Array([5, 5, 5, 5]);
    expect(() => R.sgemm(false, false, 2, 2, 3, 1, f(6), 3, f(5), 2, 0, c, 2)).toThrow(RangeError);
    expect(Array.from(c)).toEqual([5, 5, 5, 5]);
  });
});

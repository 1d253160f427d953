// Elementwise kernels, column sums and activations: native (this process's ISA) vs the float64
// reference on the same float32 data, at sizes 0, 1, around every vector width, odd, prime and large
// enough to run threaded; plus hand-computed values and the flush-to-zero policy.
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, type Activation } from '../../lib/backend/backend';
import { backendInfo, backends } from '../../lib/index';
import { Rng } from '../../lib/rng';
import { EPS32, expectClose, randomF32, toF64 } from '../helpers/compare';

const native = backends.native!;
const reference = backends.reference;
const isa = process.env.SIMDGRAD_ISA!;
// 0, 1, each side of the 4-, 8- and 16-lane widths and of a 4-vector strip, odd, prime, and past the
// 2 × 65536-element threshold where maps are split across threads.
const SIZES = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 97, 1000, 100003, 300007];
const SPECIALS = [0, -0, 1e-30, -1e-30, 1e-40, 0.5, -0.5, 3, -3, 20, -20, 87, -87, 89, -89, 100, -100,
  Infinity, -Infinity, NaN];

/** Values in [-12, 12] with the special values mixed in at the front. */
function actInput(rng: Rng, n: number): Float32Array {
  const x = randomF32(rng, n, -12, 12);
  for (let i = 0; i < Math.min(n, SPECIALS.length); i++) x[i] = SPECIALS[i]!;
  return x;
}

/**
 * Per-activation tolerance (absolute, relative). The vector exp/tanh/erf are accurate to a few ulp;
 * gelu computes 1 + erf(x/√2) in float32 like PyTorch's CPU kernel, which cancels for x ≪ 0, so its
 * absolute error grows to ~|x|·3e-8 there; results below float32's normal range are flushed to zero.
 */
const ACT_TOL: Record<Activation, [number, number]> = {
  none: [0, 0], relu: [0, 0], leakyRelu: [1e-38, 2 * EPS32], sigmoid: [1e-37, 8 * EPS32],
  tanh: [1e-37, 8 * EPS32], gelu: [1e-6, 16 * EPS32],
};
// 1 − y² and 1 − y cancel near |y| = 1: without FMA (scalar) the rounding of y² is ~ε·|dy| absolute.
const GRAD_TOL: Record<Activation, [number, number]> = {
  none: [0, 0], relu: [0, 0], leakyRelu: [1e-38, 2 * EPS32], sigmoid: [2 * EPS32, 4 * EPS32],
  tanh: [2 * EPS32, 4 * EPS32], gelu: [2e-6, 16 * EPS32],
};

describe(`elementwise native ${isa}`, () => {
  it('runs on the ISA this process was started with', () => {
    expect(backendInfo().isa).toBe(isa);
  });

  it('axpy, scale, add, mul match the reference (also in place)', () => {
    for (const n of SIZES) {
      const rng = new Rng(n + 1);
      const x = randomF32(rng, n), y = randomF32(rng, n), label = `[${isa}] n=${n}`;
      for (const alpha of [1.5, -0.25, 0]) {
        const yn = y.slice(), yr = toF64(y);
        native.axpy(n, alpha, x, yn);
        reference.axpy(n, alpha, toF64(x), yr);
        // without FMA (scalar ISA) α·x is rounded before the add: error ≤ ε·(|α·x| + |y|) + rounding of the sum
        expectClose(`axpy${label} alpha=${alpha}`, yn, yr, EPS32 * (Math.abs(alpha) + 1), 2 * EPS32);
        const sn = new Float32Array(n), sr = new Float64Array(n);
        native.scale(n, alpha, x, sn);
        reference.scale(n, alpha, toF64(x), sr);
        expectClose(`scale${label}`, sn, sr, 0, EPS32);
      }
      const an = new Float32Array(n), ar = new Float64Array(n), mn = new Float32Array(n), mr = new Float64Array(n);
      native.add(n, x, y, an);
      reference.add(n, toF64(x), toF64(y), ar);
      expectClose(`add${label}`, an, ar, 0, EPS32);
      native.mul(n, x, y, mn);
      reference.mul(n, toF64(x), toF64(y), mr);
      expectClose(`mul${label}`, mn, mr, 0, EPS32);
      const inPlace = x.slice();
      native.mul(n, inPlace, y, inPlace);
      expectClose(`mul in place${label}`, inPlace, mr, 0, EPS32);
    }
  });

  it('axpy with alpha = 0 does not read x (NaN stays out of y)', () => {
    const y = new Float32Array([1, 2, 3]);
    native.axpy(3, 0, new Float32Array(3).fill(NaN), y);
    expect(Array.from(y)).toEqual([1, 2, 3]);
  });

  it('biasAdd and colSum match the reference on odd, prime and large shapes', () => {
    const shapes: [number, number][] = [[0, 5], [5, 0], [1, 1], [7, 13], [3, 65], [300, 257], [1000, 300], [70001, 3], [2, 4099]];
    for (const [rows, cols] of shapes) {
      const rng = new Rng(rows * 131 + cols);
      const x = randomF32(rng, rows * cols), bias = randomF32(rng, cols), label = `[${isa}] ${rows}x${cols}`;
      const bn = new Float32Array(rows * cols), br = new Float64Array(rows * cols);
      native.biasAdd(rows, cols, x, bias, bn);
      reference.biasAdd(rows, cols, toF64(x), toF64(bias), br);
      expectClose(`biasAdd${label}`, bn, br, 0, EPS32);
      for (const [alpha, beta] of [[1, 0], [0.5, 1], [-2, 0.25]] as const) {
        const out0 = randomF32(rng, cols);
        const on = out0.slice(), or = toF64(out0);
        native.colSum(rows, cols, alpha, x, beta, on);
        reference.colSum(rows, cols, alpha, toF64(x), beta, or);
        // blocked summation: error ≲ (block + rows/block)·ε·Σ|x| with block = 128, |x| ≤ 1
        const tol = 2 * (128 + rows / 128 + 2) * EPS32 * Math.abs(alpha) * Math.min(rows, 128 + rows / 128) + 4 * EPS32;
        expectClose(`colSum${label} alpha=${alpha} beta=${beta}`, on, or, tol, 2 * EPS32);
      }
      const nanOut = new Float32Array(cols).fill(NaN);
      native.colSum(rows, cols, 1, x, 0, nanOut);
      expect(nanOut.every((v) => Number.isFinite(v))).toBe(true);
    }
  });

  it('activationForward matches the reference for every activation, specials included', () => {
    for (const act of ACTIVATIONS) {
      const param = act === 'leakyRelu' ? 0.2 : 0;
      const [atol, rtol] = ACT_TOL[act];
      for (const n of SIZES) {
        const x = actInput(new Rng(n + 7), n);
        const on = new Float32Array(n), or = new Float64Array(n);
        native.activationForward(act, param, n, x, on);
        reference.activationForward(act, param, n, toF64(x), or);
        expectClose(`activationForward[${isa}] ${act} n=${n}`, on, or, atol, rtol);
        const inPlace = x.slice();
        native.activationForward(act, param, n, inPlace, inPlace);
        expectClose(`activationForward in place[${isa}] ${act} n=${n}`, inPlace, on, 0, 0);
      }
    }
  });

  it('activationBackward matches the reference, from y (relu, leakyRelu, sigmoid, tanh) or x (gelu)', () => {
    for (const act of ACTIVATIONS) {
      const param = act === 'leakyRelu' ? 0.2 : 0;
      const [atol, rtol] = GRAD_TOL[act];
      for (const n of SIZES) {
        const rng = new Rng(n + 11);
        // Native kernels treat denormal inputs as zero (DAZ, DESIGN.md): 1e-40 would take the other side
        // of relu's y <= 0 test, so the shared input has its denormals flushed first.
        const x = actInput(rng, n).map((v) => (v !== 0 && Math.abs(v) < 1.1754943508222875e-38 ? 0 : v));
        const dy = randomF32(rng, n);
        const y = new Float32Array(n);
        reference.activationForward(act, param, n, x, y); // the same float32 y feeds both backends
        const dn = new Float32Array(n), dr = new Float64Array(n);
        native.activationBackward(act, param, n, x, y, dy, dn);
        reference.activationBackward(act, param, n, toF64(x), toF64(y), toF64(dy), dr);
        expectClose(`activationBackward[${isa}] ${act} n=${n}`, dn, dr, atol, rtol);
      }
    }
  });

  it('hand-computed values', () => {
    const x = new Float32Array([-2, -0.5, 0, 0.5, 2, NaN]);
    const out = new Float32Array(6);
    native.activationForward('relu', 0, 6, x, out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0.5, 2, NaN]);
    native.activationForward('leakyRelu', 0.25, 6, x, out);
    expect(Array.from(out)).toEqual([-0.5, -0.125, 0, 0.5, 2, NaN]);
    native.activationForward('sigmoid', 0, 6, x, out);
    expect(out[2]).toBe(0.5);
    expect(out[4]).toBeCloseTo(0.8807970779778823, 6);
    native.activationForward('gelu', 0, 6, x, out);
    expect(out[3]).toBeCloseTo(0.34573123063700656, 6);
    const c = new Float32Array(4);
    native.sgemm(false, false, 2, 2, 3, 1, new Float32Array([1, 2, 3, 4, 5, 6]), 3, new Float32Array([7, 8, 9, 10, 11, 12]), 2, 0, c, 2);
    expect(Array.from(c)).toEqual([58, 64, 139, 154]);
    const s = new Float32Array(3);
    native.colSum(2, 3, 1, new Float32Array([1, 2, 3, 4, 5, 6]), 0, s);
    expect(Array.from(s)).toEqual([5, 7, 9]);
  });

  it('flushes denormals inside native calls only, and restores the caller state', () => {
    const denormal = new Float32Array([1e-39, -3e-40]);
    const out = new Float32Array(2);
    native.scale(2, 1, denormal, out);
    expect(Array.from(out, Math.abs)).toEqual([0, 0]); // DAZ: denormal inputs read as zero in the native kernel
    reference.scale(2, 1, denormal, out);
    expect(out[0]).toBeGreaterThan(0); // the reference backend does not flush
    const tiny = 1e-310; // a float64 denormal: V8's math must still see it after a native call
    expect(tiny * 1.5).toBeGreaterThan(0);
    expect(tiny / 2).toBeGreaterThan(0);
  });
});

// Norm family on the reference backend: hand-computed values for every kernel (the specification's
// edge semantics: NaN, rows = 0, PyTorch's running statistics), validator messages, and the batch-norm
// finite-difference gradient check in float64 through the same kernels a layer calls (backends.reference).
import { describe, expect, it } from 'vitest';
import { backends } from '../lib/index';
import { Rng } from '../lib/rng';

const ref = backends.reference;
const f64 = (a: number[]) => Float64Array.from(a);

describe('norm reference kernels: hand-computed values', () => {
  it('colMinMax and colMeanVar', () => {
    const x = f64([1, 2, 3, 4, 5, 9]); // 3×2
    const a = new Float64Array(2), b = new Float64Array(2);
    ref.colMinMax(3, 2, x, a, b);
    expect([...a, ...b]).toEqual([1, 2, 5, 9]);
    ref.colMeanVar(3, 2, x, a, b);
    expect(a[0]).toBe(3);
    expect(a[1]).toBe(5);
    expect(b[0]).toBeCloseTo(8 / 3, 14);
    expect(b[1]).toBeCloseTo(26 / 3, 14);
    ref.colMinMax(3, 2, f64([1, NaN, NaN, 4, 5, 9]), a, b);
    expect([...a, ...b].map(String)).toEqual(['NaN', 'NaN', 'NaN', 'NaN']);
    ref.colMinMax(0, 2, new Float64Array(0), a, b);
    expect([...a, ...b]).toEqual([Infinity, Infinity, -Infinity, -Infinity]);
    ref.colMeanVar(0, 2, new Float64Array(0), a, b);
    expect([...a, ...b].every(Number.isNaN)).toBe(true);
  });

  it('colAffine and colAffineInverse, in place', () => {
    const x = f64([1, 2, 3, 4]), out = new Float64Array(4);
    ref.colAffine(2, 2, x, f64([1, 10]), f64([2, 0.5]), out);
    expect(Array.from(out)).toEqual([0, -4, 4, -3]);
    ref.colAffineInverse(2, 2, out, f64([1, 10]), f64([2, 0.5]), out);
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
  });

  it('batch norm training forward: PyTorch running statistics (momentum 0.1, unbiased running variance)', () => {
    const x = f64([1, 2, 3, 4]), out = new Float64Array(4), rm = f64([0]), rv = f64([1]);
    const sm = new Float64Array(1), si = new Float64Array(1);
    ref.batchNormForwardTraining(4, 1, x, f64([2]), f64([0.5]), 1e-5, 0.1, rm, rv, out, sm, si);
    const r = 1 / Math.sqrt(1.25 + 1e-5); // biased variance of 1..4 is 1.25
    expect(sm[0]).toBe(2.5);
    expect(si[0]).toBeCloseTo(r, 15);
    expect(Array.from(out).map((v, i) => v - ((i + 1 - 2.5) * r * 2 + 0.5)).every((d) => Math.abs(d) < 1e-14)).toBe(true);
    expect(rm[0]).toBeCloseTo(0.25, 15); // 0.9·0 + 0.1·2.5
    expect(rv[0]).toBeCloseTo(0.9 + 0.1 * (5 / 3), 15); // unbiased 5/3
    const inf = new Float64Array(4);
    ref.batchNormForwardInference(4, 1, x, f64([2]), f64([0.5]), 1e-5, f64([2.5]), f64([1.25]), inf);
    expect(Math.abs(inf[3]! - (1.5 * r * 2 + 0.5))).toBeLessThan(1e-14);
  });
});

describe('norm validators', () => {
  const f = (n: number) => new Float32Array(n);
  it('name kernel, argument, expected and actual', () => {
    expect(() => ref.colMeanVar(5, 3, f(12), f(3), f(3))).toThrow(/^colMeanVar: x\.length 12 < rows\*cols = 15$/);
    expect(() => ref.colMinMax(2, 3, f(6), f(2), f(3))).toThrow(/colMinMax: min\.length 2 < cols = 3/);
    expect(() => ref.colAffine(2, 3, f(6), f(3), f(3), new Float32Array(5))).toThrow(/out\.length 5 < rows\*cols = 6/);
    expect(() => ref.colMeanVar(2.5, 3, f(12), f(3), f(3))).toThrow(RangeError);
    expect(() => ref.colMeanVar(2, 3, [1, 2] as unknown as Float32Array, f(3), f(3))).toThrow(TypeError);
  });

  it('reject forbidden aliasing, allow exact in-place use', () => {
    const buf = f(12);
    expect(() => ref.colAffine(2, 3, buf.subarray(0, 6), f(3), f(3), buf.subarray(1, 7))).toThrow(/partially overlap/);
    expect(() => ref.colAffine(2, 3, buf.subarray(0, 6), f(3), f(3), buf.subarray(0, 6))).not.toThrow();
    expect(() => ref.colAffine(2, 3, buf.subarray(0, 6), buf.subarray(6, 9), f(3), buf.subarray(4, 10))).toThrow(/overlap/);
    expect(() => ref.colMeanVar(2, 3, buf.subarray(0, 6), buf.subarray(3, 6), f(3))).toThrow(/mean must not overlap x/);
    expect(() => ref.colMeanVar(2, 3, f(6), buf.subarray(0, 3), buf.subarray(2, 5))).toThrow(/overlap/);
  });

  it('batch norm hyperparameters and shapes', () => {
    const args = (rows: number, eps: number, momentum: number) =>
      () => ref.batchNormForwardTraining(rows, 3, f(rows * 3), f(3), f(3), eps, momentum, f(3), f(3), f(rows * 3), f(3), f(3));
    expect(args(2, 0, 0.1)).toThrow(/batchNormForwardTraining: eps must be > 0, got 0/);
    expect(args(2, NaN, 0.1)).toThrow(/eps must be a finite number/);
    expect(args(2, 1e-5, 1.5)).toThrow(/momentum must be in \[0, 1\], got 1.5/);
    expect(args(1, 1e-5, 0.1)).toThrow(/rows must be >= 2 in training mode/);
    expect(args(2, 1e-5, 0.1)).not.toThrow();
    expect(() => ref.batchNormBackward(2, 3, f(6), f(6), f(3), f(3), f(3), f(6), f(3), f(3), 1 as unknown as boolean))
      .toThrow(/batchNormBackward: accumulate must be a boolean/);
    const dy = f(6);
    expect(() => ref.batchNormBackward(2, 3, f(6), dy, f(3), f(3), f(3), dy, f(3), f(3), false)).not.toThrow();
  });
});

describe('batch norm finite-difference gradient check (reference backend, float64)', () => {
  const rows = 7, cols = 3, eps = 1e-5, h = 1e-6;
  const rng = new Rng(2024);
  const rand = (n: number, lo: number, hi: number) => rng.fillUniform(new Float64Array(n), lo, hi) as Float64Array;
  const x = rand(rows * cols, -2, 2), gamma = rand(cols, 0.5, 1.5), beta = rand(cols, -1, 1);
  const w = rand(rows * cols, -1, 1); // loss L = Σ w ⊙ out, so dL/dout = w

  /** L through the training forward kernel (running statistics go to scratch arrays). */
  function loss(xv: Float64Array, g: Float64Array, b: Float64Array): number {
    const out = new Float64Array(rows * cols);
    ref.batchNormForwardTraining(rows, cols, xv, g, b, eps, 0.1, new Float64Array(cols), new Float64Array(cols),
      out, new Float64Array(cols), new Float64Array(cols));
    return out.reduce((s, v, i) => s + v * w[i]!, 0);
  }

  /** Central difference of L along one coordinate of `v` (one of x, gamma, beta). */
  function numeric(v: Float64Array, i: number): number {
    const keep = v[i]!;
    v[i] = keep + h;
    const up = loss(x, gamma, beta);
    v[i] = keep - h;
    const down = loss(x, gamma, beta);
    v[i] = keep;
    return (up - down) / (2 * h);
  }

  it('dx, dgamma and dbeta match central differences; accumulate adds', () => {
    const sm = new Float64Array(cols), si = new Float64Array(cols), out = new Float64Array(rows * cols);
    ref.batchNormForwardTraining(rows, cols, x, gamma, beta, eps, 0.1, new Float64Array(cols), new Float64Array(cols),
      out, sm, si);
    const dx = new Float64Array(rows * cols), dg = new Float64Array(cols), db = new Float64Array(cols);
    ref.batchNormBackward(rows, cols, x, w, gamma, sm, si, dx, dg, db, false);
    const close = (got: number, fd: number, what: string) => {
      if (Math.abs(got - fd) > 1e-7 * (1 + Math.abs(fd))) throw new Error(`${what}: backward ${got}, finite difference ${fd}`);
    };
    for (let i = 0; i < rows * cols; i++) close(dx[i]!, numeric(x, i), `dx[${i}]`);
    for (let j = 0; j < cols; j++) {
      close(dg[j]!, numeric(gamma, j), `dgamma[${j}]`);
      close(db[j]!, numeric(beta, j), `dbeta[${j}]`);
    }
    const dg2 = dg.slice(), db2 = db.slice();
    ref.batchNormBackward(rows, cols, x, w, gamma, sm, si, dx, dg2, db2, true);
    for (let j = 0; j < cols; j++) {
      expect(dg2[j]).toBeCloseTo(2 * dg[j]!, 14);
      expect(db2[j]).toBeCloseTo(2 * db[j]!, 14);
    }
  });
});

// Scalers against scikit-learn (fixtures/scalers.json, generated in float64 by fixtures/scalers.py):
// fit on A, transform B with A's statistics (an outlier, a constant column with a non-zero test value),
// inverse transform, partialFit == fit; then round trips, input/output kinds, `out` without allocation,
// JSON, labels, and every documented error. Float64 inputs run the reference kernels, float32 the
// active (native) backend.
import { describe, expect, it } from 'vitest';
import {
  MinMaxScaler, RobustScaler, SigmoidScaler, StandardScaler, Tensor, scalerFromJSON, type Scaler,
} from '../lib/index';
import { Rng } from '../lib/rng';
import fixture = require('./fixtures/scalers.json');

type Case = { name: string; transformB?: number[][]; inverseB?: number[][]; [k: string]: unknown };
const A = fixture.A, B = fixture.B;
const cases = fixture.cases as Case[];
const byName = (name: string) => cases.find((c) => c.name === name)!;

function make(name: string): Scaler {
  switch (name) {
    case 'StandardScaler': return new StandardScaler();
    case 'StandardScaler withMean=false': return new StandardScaler({ withMean: false });
    case 'MinMaxScaler': return new MinMaxScaler();
    case 'MinMaxScaler featureRange=[-1,2]': return new MinMaxScaler({ featureRange: [-1, 2] });
    case 'RobustScaler': return new RobustScaler();
    case 'RobustScaler quantileRange=[10,90]': return new RobustScaler({ quantileRange: [10, 90] });
    case 'SigmoidScaler': return new SigmoidScaler();
    default: throw new Error(name);
  }
}

function expectMatrix(label: string, got: ArrayLike<number>[] | ArrayLike<number>, want: number[][] | number[], tol: number): void {
  const g = (Array.isArray(got) && Array.isArray(got[0]) ? (got as number[][]).flat() : Array.from(got as ArrayLike<number>));
  const w = (want as (number | number[])[]).flat();
  expect(g.length, label).toBe(w.length);
  for (let i = 0; i < w.length; i++) {
    if (!(Math.abs(g[i]! - w[i]!) <= tol * (1 + Math.abs(w[i]!)))) {
      throw new Error(`${label}: element ${i}: got ${g[i]}, scikit-learn ${w[i]}`);
    }
  }
}

const transformCases = cases.filter((c) => c.transformB !== undefined);
const ATTRS = ['mean', 'var', 'scale', 'dataMin', 'dataMax', 'min', 'center'];

describe('scalers reproduce scikit-learn (fit on A, transform B)', () => {
  for (const c of transformCases) {
    it(`${c.name}: number[][] (float64, reference kernels)`, () => {
      const s = make(c.name).fit(A);
      expectMatrix(`${c.name} transform`, s.transform(B), c.transformB!, 1e-12);
      if (c.inverseB) expectMatrix(`${c.name} inverse`, s.inverseTransform(B), c.inverseB, 1e-12);
      for (const k of ATTRS) {
        if (c[k] !== undefined) expectMatrix(`${c.name} ${k}`, (s as unknown as Record<string, Float64Array>)[k]!, c[k] as number[], 1e-12);
      }
    });
    it(`${c.name}: float32 Tensor (active backend)`, () => {
      const s = make(c.name).fit(Tensor.from(A));
      const out = s.transform(Tensor.from(B));
      expect(out).toBeInstanceOf(Tensor);
      expect(out.shape).toEqual([3, 4]);
      expectMatrix(`${c.name} transform f32`, out.data, c.transformB!, 1e-6);
      if (c.inverseB) expectMatrix(`${c.name} inverse f32`, s.inverseTransform(Tensor.from(B)).data, c.inverseB, 1e-6);
    });
  }

  it('partialFit over batches equals scikit-learn partial_fit (StandardScaler, MinMaxScaler), both dtypes', () => {
    const st = byName('StandardScaler partialFit'), mm = byName('MinMaxScaler partialFit');
    for (const f32 of [false, true]) {
      const wrap = (rows: number[][]) => (f32 ? Tensor.from(rows) : rows);
      const s = new StandardScaler(), m = new MinMaxScaler();
      for (const [a, b] of [[0, 2], [2, 5], [5, 6]]) {
        s.partialFit(wrap(A.slice(a, b)));
        m.partialFit(wrap(A.slice(a, b)));
      }
      const tol = f32 ? 1e-6 : 1e-12;
      expectMatrix('partialFit mean', s.mean!, st.mean as number[], tol);
      expectMatrix('partialFit var', s.var!, st.var as number[], tol);
      expect(s.nSamplesSeen).toBe(st.nSamplesSeen);
      expectMatrix('partialFit dataMin', m.dataMin!, mm.dataMin as number[], 0);
      expectMatrix('partialFit dataMax', m.dataMax!, mm.dataMax as number[], 0);
    }
  });

  it('outliers: z-score keeps the outlier extreme, min-max squeezes the other rows, robust ignores it', () => {
    const col0 = (r: number[][]) => r.map((row) => row[0]!);
    const z = col0(new StandardScaler().fitTransform(A)), mm = col0(new MinMaxScaler().fitTransform(A));
    const rb = col0(new RobustScaler().fitTransform(A));
    expect(z[4]).toBeGreaterThan(2); // 100 is > 2 std above the mean
    expect(Math.max(...mm.filter((_, i) => i !== 4))).toBeLessThan(0.05); // the rest within 5% of the range
    expect(Math.max(...rb.filter((_, i) => i !== 4).map(Math.abs))).toBeLessThanOrEqual(1.25);
  });
});

describe('scalers: round trips, kinds and out', () => {
  const rows = 500, cols = 7, rng = new Rng(99);
  const x64 = new Float64Array(rows * cols), x32 = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      x64[i * cols + j] = (j + 1) * 1e3 + 10 ** (j - 3) * rng.normal() * (i === 7 ? 50 : 1); // offsets ≫ spread
      x32[i * cols + j] = (j % 3) + (j + 1) * rng.normal();
    }
  }
  const all = [() => new StandardScaler(), () => new MinMaxScaler({ featureRange: [-2, 3] }), () => new RobustScaler(),
    () => new SigmoidScaler()];

  it('x → transform → inverseTransform returns x within 1e-6 of each column scale (float64)', () => {
    for (const mk of all) {
      const s = mk(), t = new Tensor(x64, [rows, cols]);
      const back = s.inverseTransform(s.fitTransform(t));
      const sd = new StandardScaler().fit(t).scale!;
      for (let i = 0; i < rows * cols; i++) {
        const err = Math.abs(back.data[i]! - x64[i]!), j = i % cols;
        if (err > 1e-6 * sd[j]!) throw new Error(`${s.type} f64 round trip [${i / cols | 0},${j}]: ${back.data[i]} vs ${x64[i]}`);
      }
    }
  });

  it('float32 round trip: within 1e-6 of the column scale plus the float32 rounding of x itself', () => {
    for (const mk of all) {
      const s = mk(), t = new Tensor(x32, [rows, cols]);
      const z = s.fitTransform(t), back = s.inverseTransform(z);
      const sd = new StandardScaler().fit(t).scale!;
      for (let i = 0; i < rows * cols; i++) {
        const err = Math.abs(back.data[i]! - x32[i]!), j = i % cols;
        // the logistic squeezes z: its float32 rounding is amplified by 1/(y(1−y)) on the way back
        const tol = (s.type === 'SigmoidScaler' ? 1e-5 : 1e-6) * sd[j]! + 4 * 2 ** -23 * Math.abs(x32[i]!);
        if (err > tol) throw new Error(`${s.type} f32 round trip [${i / cols | 0},${j}]: ${back.data[i]} vs ${x32[i]}`);
      }
    }
  });

  it('output type follows input; with out the result is out itself', () => {
    const s = new StandardScaler().fit(A);
    expect(Array.isArray(s.transform(B)[0])).toBe(true);
    const flat = Float32Array.from(B.flat()), out = new Float32Array(12);
    expect(s.transform(flat, out)).toBe(out);
    expectMatrix('typed out', out, byName('StandardScaler').transformB!, 1e-6);
    const tOut = Tensor.zeros([3, 4]);
    expect(s.transform(Tensor.from(B), tOut)).toBe(tOut);
    const nested = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]];
    expect(s.transform(B, nested)).toBe(nested);
    expectMatrix('nested out', nested, byName('StandardScaler').transformB!, 1e-12);
    const f64 = s.transform(Float64Array.from(B.flat()));
    expect(f64).toBeInstanceOf(Float64Array);
    expect(() => s.transform(flat, new Float64Array(12) as unknown as Float32Array)).toThrow(/out must be a Float32Array/);
    expect(() => s.transform(flat, new Float32Array(8))).toThrow(/out has 8 elements, x has 12/);
  });

  it('labels: a 1-column target is scaled for training and predictions are mapped back', () => {
    const y = [200, 150, 400, 320], s = new StandardScaler().fit(y);
    const z = s.transform(y);
    expect(Array.isArray(z) && typeof z[0] === 'number').toBe(true);
    expect(z.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
    expect(s.inverseTransform([0])[0]).toBeCloseTo(267.5, 12);
    const y32 = Float32Array.from(y), m = new MinMaxScaler().fit(y32);
    expect(Array.from(m.transform(y32))).toEqual([Math.fround(50 / 250), 0, 1, Math.fround(170 / 250)]);
  });

  it('SigmoidScaler saturation: float32 logistic rounds to 1 beyond z ≈ 16.6, whose logit is +Infinity', () => {
    const s = new SigmoidScaler({ standardize: false }).fit(Float32Array.from([0]));
    const y = s.transform(Float32Array.from([16, 17, -20]));
    expect(y[0]).toBeLessThan(1);
    expect(y[1]).toBe(1);
    const back = s.inverseTransform(y);
    expect(back[0]).toBeCloseTo(16, 0);
    expect(back[1]).toBe(Infinity);
    expect(back[2]).toBeCloseTo(-20, 4); // small values keep their relative accuracy
  });

  it('toJSON / scalerFromJSON restore every scaler (also through JSON text); partialFit continues', () => {
    for (const mk of all) {
      const s = mk().fit(A), copy = scalerFromJSON(JSON.parse(JSON.stringify(s)));
      expect(copy.type).toBe(s.type);
      expectMatrix(`${s.type} JSON`, copy.transform(B), s.transform(B) as number[][], 0);
    }
    const s = new StandardScaler().partialFit(A.slice(0, 3)), copy = StandardScaler.fromJSON(s.toJSON());
    s.partialFit(A.slice(3));
    copy.partialFit(A.slice(3));
    expectMatrix('continued partialFit', copy.var!, Array.from(s.var!), 1e-15);
    expect(scalerFromJSON(new MinMaxScaler().toJSON()).nFeaturesIn).toBe(null);
  });
});

describe('scalers: errors', () => {
  it('use before fit', () => {
    expect(() => new StandardScaler().transform(B)).toThrow(/StandardScaler.transform: this StandardScaler is not fitted yet/);
    expect(() => new RobustScaler().inverseTransform(B)).toThrow(/not fitted yet/);
  });

  it('NaN / Infinity in fit name row and column (float64 and float32, both backends)', () => {
    const bad = A.map((r) => r.slice());
    bad[3]![2] = NaN;
    for (const s of [new StandardScaler(), new MinMaxScaler(), new RobustScaler(), new SigmoidScaler()]) {
      expect(() => s.fit(bad)).toThrow(/x has NaN at row 3, column 2/);
      expect(() => s.fit(Tensor.from(bad))).toThrow(/x has NaN at row 3, column 2/);
    }
    bad[3]![2] = 5;
    bad[5]![1] = -Infinity;
    expect(() => new StandardScaler().fit(Tensor.from(bad))).toThrow(/StandardScaler.fit: x has -Infinity at row 5, column 1/);
    expect(() => new MinMaxScaler().partialFit(Tensor.from(bad))).toThrow(/MinMaxScaler.partialFit: x has -Infinity at row 5, column 1/);
  });

  it('a rejected partialFit changes nothing: the next batch may have another width, JSON reloads', () => {
    const mk = [() => new StandardScaler(), () => new MinMaxScaler(), () => new SigmoidScaler()];
    for (const wrap of [(x: number[][]) => x, (x: number[][]) => Tensor.from(x)]) {
      for (const make of mk) {
        const s = make() as StandardScaler | MinMaxScaler;
        expect(() => s.partialFit(wrap([[1, NaN, 3, 4, 5], [2, 2, 2, 2, 2]]))).toThrow(/x has NaN at row 0, column 1/);
        expect([s.nFeaturesIn, s.nSamplesSeen, s.toJSON().state]).toEqual([null, 0, null]);
        s.partialFit(wrap([[1, 2, 3], [3, 4, 5]]));
        const fresh = (make() as StandardScaler | MinMaxScaler).partialFit(wrap([[1, 2, 3], [3, 4, 5]]));
        expect(s.toJSON()).toEqual(fresh.toJSON());
        if (s instanceof StandardScaler) expect(Array.from(s.mean!)).toEqual([2, 3, 4]);
        else expect(Array.from(s.dataMin!)).toEqual([1, 2, 3]);
        const copy = scalerFromJSON(JSON.parse(JSON.stringify(s.toJSON())));
        expect(copy.toJSON()).toEqual(s.toJSON());
        // a rejected later batch leaves the fitted statistics as they were
        expect(() => s.partialFit(wrap([[1, Infinity, 3]]))).toThrow(/x has Infinity at row 0, column 1/);
        expect(s.toJSON()).toEqual(fresh.toJSON());
      }
    }
  });

  it('finite float32 data whose kernel sums overflow is recomputed in float64', () => {
    const s = new StandardScaler().fit(Float32Array.from([3e38, -3e38]));
    expect(s.mean![0]).toBeCloseTo(0, 0);
    expect(s.var![0]! / (Math.fround(3e38) ** 2)).toBeCloseTo(1, 12);
  });

  it('wrong column count names both counts; bad options and inputs', () => {
    const s = new MinMaxScaler().fit(A);
    expect(() => s.transform([[1, 2, 3]])).toThrow(/MinMaxScaler.transform: x has 3 columns, but MinMaxScaler was fitted with 4/);
    expect(() => s.partialFit(Tensor.zeros([2, 5]))).toThrow(/x has 5 columns, but MinMaxScaler was fitted with 4/);
    expect(() => s.transform(new Float32Array(6))).toThrow(/x.length 6 is not a multiple of the 4 fitted columns/);
    expect(() => new MinMaxScaler({ featureRange: [1, 1] })).toThrow(RangeError);
    expect(() => new RobustScaler({ quantileRange: [80, 20] })).toThrow(/0 <= qMin <= qMax <= 100/);
    expect(() => new StandardScaler({ withMean: 1 as unknown as boolean })).toThrow(TypeError);
    expect(() => new StandardScaler().fit([[1, 2], [3]])).toThrow(/x\[1\] has 1 columns, but x\[0\] has 2/);
    expect(() => new StandardScaler().fit([])).toThrow(/0 rows/);
    expect(() => new StandardScaler().fit('x' as unknown as number[])).toThrow(TypeError);
    expect(() => scalerFromJSON({ type: 'Nope', version: 1, options: {}, state: null })).toThrow(/unknown scaler type/);
    expect('partialFit' in new RobustScaler()).toBe(false);
  });
});

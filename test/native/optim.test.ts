// Optimizer update kernels: native (this process's ISA) vs the reference on the same float32 arrays,
// 1000 steps with fresh random gradients per step, for every family and option combination, at sizes
// 1, around every vector width, odd, prime, and large enough to run threaded; lists of tensors in one
// call; the flush-to-zero policy (Adam's state stays out of subnormals); and the binding's re-checks.
import { describe, expect, it } from 'vitest';
import type { Backend, FloatArray } from '../../lib/backend/backend';
import type { AdagradHyper, AdamHyper, RmspropHyper, SgdHyper } from '../../lib/backend/kernels_optim';
import { backendInfo, backends } from '../../lib/index';
import type { NativeBackend } from '../../lib/backend/native';
import { Rng } from '../../lib/rng';
import { expectClose, randomF32 } from '../helpers/compare';

const native = backends.native! as NativeBackend;
const reference = backends.reference;
const isa = process.env.SIMDGRAD_ISA!;
const SMALL = [1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65, 97];
const BIG = 300007; // > 2 × 65536: split over the pool

type Family = 'sgd' | 'adagrad' | 'rmsprop' | 'adam';
interface Case { family: Family; name: string; states: number; hyper: (t: number) => object }

const sgd = (o: Partial<SgdHyper>, ema = false): Case => ({
  family: 'sgd', name: `sgd ${JSON.stringify(o)}${ema ? ' ema' : ''}`, states: 1,
  hyper: (t) => ({ lr: 0.01, momentum: 0, gradScale: 1, weightDecay: 0, nesterov: false, ...o, firstStep: !ema && t === 1 }),
});
const adam = (o: Partial<AdamHyper>, lr = 1e-2, b1 = 0.9, b2 = 0.999, wdDecoupled = 0): Case => ({
  family: 'adam', name: `adam ${JSON.stringify(o)} decoupled=${wdDecoupled}`, states: 3,
  hyper: (t) => ({ stepSize: lr / (1 - b1 ** t), beta1: b1, beta2: b2, eps: 1e-8, bc2Sqrt: Math.sqrt(1 - b2 ** t),
    weightDecay: 0, decay: 1 - lr * wdDecoupled, amsgrad: false, ...o }),
});
const rms = (o: Partial<RmspropHyper>): Case => ({
  family: 'rmsprop', name: `rmsprop ${JSON.stringify(o)}`, states: 3,
  hyper: () => ({ lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, ...o }),
});
const adagrad = (lrDecay: number, wd: number): Case => ({
  family: 'adagrad', name: `adagrad lrDecay=${lrDecay} wd=${wd}`, states: 1,
  hyper: (t) => ({ clr: 0.1 / (1 + (t - 1) * lrDecay), weightDecay: wd, eps: 1e-10 }),
});

const CASES: Case[] = [
  sgd({}), sgd({ momentum: 0.9 }), sgd({ momentum: 0.9, gradScale: 0.5, weightDecay: 1e-2 }),
  sgd({ momentum: 0.9, nesterov: true, weightDecay: 1e-3 }), sgd({ momentum: 0.9, gradScale: 0.1 }, true),
  adagrad(0, 0), adagrad(1e-3, 1e-2),
  rms({}), rms({ centered: true }), rms({ momentum: 0.9, weightDecay: 1e-2 }), rms({ centered: true, momentum: 0.5 }),
  adam({}), adam({ amsgrad: true }), adam({ weightDecay: 1e-2 }), adam({}, 1e-2, 0.9, 0.999, 1e-2),
  adam({ amsgrad: true }, 1e-3, 0.5, 0.9, 0.1),
];

/** Calls the family's kernel on backend `be` with lists p, g and states s (null where unused). */
function run(be: Backend, c: Case, t: number, p: FloatArray[], g: FloatArray[], s: FloatArray[][]): void {
  const h = c.hyper(t) as never;
  switch (c.family) {
    case 'sgd': return be.sgdStep(p, g, s[0]!, h);
    case 'adagrad': return be.adagradStep(p, g, s[0]!, h);
    case 'rmsprop': return be.rmspropStep(p, g, s[0]!, s[1]!, s[2]!, h);
    case 'adam': return be.adamStep(p, g, s[0]!, s[1]!, s[2]!, h);
  }
}

/** Runs `steps` steps of case c on both backends over tensors of the given sizes; compares θ and state. */
function crossCheck(c: Case, sizes: number[], steps: number, seed: number): void {
  const rng = new Rng(seed);
  const p0 = sizes.map((n) => randomF32(rng, n));
  const init = (v: number) => sizes.map((n) => new Float32Array(n).fill(v));
  const sN = Array.from({ length: c.states }, () => init(0)), sR = Array.from({ length: c.states }, () => init(0));
  const pN = p0.map((a) => a.slice()), pR = p0.map((a) => a.slice());
  const g = sizes.map((n) => new Float32Array(n));
  for (let t = 1; t <= steps; t++) {
    // gradients of varied scale, with a few exact zeros (the subnormal-prone case)
    const scale = t % 7 === 0 ? 1e-3 : 1;
    for (const a of g) {
      rng.fillUniform(a, -scale, scale);
      // (not for RMSprop: there λ·θ alone is normalized to a ±1/√(1−α) step, a chaotic orbit around 0
      // that amplifies round-off; zero gradients are exercised with the other families)
      if (a.length > 3 && c.family !== 'rmsprop') a[1] = 0;
    }
    run(native, c, t, pN, g, sN);
    run(reference, c, t, pR, g, sR);
  }
  const label = `${c.name} [${isa}] sizes=${sizes.length > 3 ? `${sizes.length} tensors` : sizes} steps=${steps}`;
  // Each step rounds the float32 state once on both sides; native's intermediates are float32 (FMA or
  // not), the reference's float64, so θ drifts by a few float32 ulps of the per-step update per step:
  // over 1000 steps of ≤ 0.1 each that stays below 1e-5 absolute here; state arrays likewise, except
  // RMSprop's momentum buffer, a sum of normalized steps of size up to 1/√(1−α) = 10 that can cancel:
  // its error is ε relative to those terms, ~1e-6 absolute.
  const stateAtol = c.family === 'rmsprop' ? 1e-5 : 1e-6;
  for (let i = 0; i < sizes.length; i++) {
    expectClose(`${label} theta[${i}]`, pN[i]!, pR[i]!, 2e-5, 1e-5);
    for (let k = 0; k < c.states; k++) expectClose(`${label} state${k}[${i}]`, sN[k]![i]!, sR[k]![i]!, stateAtol, 1e-4);
  }
}

describe(`optimizer kernels native ${isa}`, () => {
  it('runs on the ISA this process was started with', () => {
    expect(backendInfo().isa).toBe(isa);
  });

  for (const c of CASES) {
    it(`${c.name}: 1000 steps match the reference at every small size, and a threaded size`, () => {
      for (const n of SMALL) crossCheck(c, [n], 1000, n);
      crossCheck(c, [BIG], 5, 99);
    });
  }

  it('one call steps a list of 50 tensors of mixed sizes exactly like one call per tensor', () => {
    const rng = new Rng(5);
    const sizes = Array.from({ length: 50 }, (_, i) => 1 + ((i * 7919) % 4099));
    for (const c of [CASES[3]!, CASES[12]!, CASES[10]!]) {
      crossCheck(c, sizes, 50, 3);
      const p = sizes.map((n) => randomF32(rng, n)), g = sizes.map((n) => randomF32(rng, n));
      const s = Array.from({ length: c.states }, () => sizes.map((n) => new Float32Array(n)));
      const p1 = p.map((a) => a.slice()), s1 = s.map((l) => l.map((a) => a.slice()));
      run(native, c, 1, p, g, s);
      for (let i = 0; i < sizes.length; i++) run(native, c, 1, [p1[i]!], [g[i]!], s1.map((l) => [l[i]!]));
      for (let i = 0; i < sizes.length; i++) expect(p[i]).toEqual(p1[i]);
    }
  });

  it('results do not depend on the split: a big tensor equals its halves stepped separately', () => {
    const c = CASES[12]!, n = BIG, rng = new Rng(8);
    const p = randomF32(rng, n), g = randomF32(rng, n), s = [0, 1, 2].map(() => new Float32Array(n));
    const ph = p.slice(), sh = s.map((a) => a.slice()), h = 100001;
    run(native, c, 1, [p], [g], s.map((a) => [a]));
    run(native, c, 1, [ph.subarray(0, h), ph.subarray(h)], [g.subarray(0, h), g.subarray(h)],
      sh.map((a) => [a.subarray(0, h), a.subarray(h)]));
    expect(ph).toEqual(p);
  });

  it('Adam state of parameters with zero gradient is flushed to 0 where it would be subnormal', () => {
    // m = 1e-4·0.9^(t−1) is subnormal (below 2^−126) for t ≈ 741…895 without flushing: check at t = 800,
    // against the reference backend, which does not flush (DESIGN.md) and so shows the subnormal value.
    const n = 4096, c = adam({});
    const mk = () => ({ p: new Float32Array(n).fill(1), g: new Float32Array(n).fill(1e-3), m: new Float32Array(n), v: new Float32Array(n) });
    const a = mk(), r = mk();
    for (let t = 1; t <= 800; t++) {
      if (t === 2) { a.g.fill(0); r.g.fill(0); }
      run(native, c, t, [a.p], [a.g], [[a.m], [a.v], null as never]);
      run(reference, c, t, [r.p], [r.g], [[r.m], [r.v], null as never]);
    }
    expect(r.m[0]! > 0 && r.m[0]! < 2 ** -126).toBe(true);
    for (const x of [a.m, a.v]) for (let i = 0; i < n; i++) expect(x[i] === 0 || Math.abs(x[i]!) >= 2 ** -126).toBe(true);
    expect(a.m[0]).toBe(0);
  });

  it('the binding re-checks what guards memory', () => {
    const b = native.binding, a = new Float32Array(4), h = [Float64Array.of(0.1, 0, 1, 0.9, 0.1, 0.999, 0.001, 1e-8, 1), 0] as const;
    expect(() => b.adamStep([a], [a], [a], [a], null, ...h)).not.toThrow();
    expect(() => b.adamStep([a], [new Float32Array(3)], [a], [a], null, ...h)).toThrow(/grads\[0\].length 3 != params\[0\].length 4/);
    expect(() => b.adamStep([a], [new Float64Array(4) as never], [a], [a], null, ...h)).toThrow(TypeError);
    expect(() => b.adamStep([a], [a], [a], [], null, ...h)).toThrow(/s1 has 0 tensors/);
    expect(() => b.adamStep([a], [a], [a], null, null, ...h)).toThrow(/s1 is required/);
    expect(() => b.adamStep([a], [a], [a], [a], null, h[0], 8)).toThrow(/s2 is required/);
    expect(() => b.adamStep([a], [a], [a], [a], null, new Float64Array(8), 0)).toThrow(/hyper must be a Float64Array of 9/);
    expect(() => b.adamStep([a], [a], [a], [a], null, [0.1] as never, 0)).toThrow(TypeError);
    expect(() => b.sgdStep({} as never, [a], null, null, null, ...h)).toThrow(/params must be an Array/);
    expect(() => native.adamStep([a], [a], [a], [a.subarray(1)], null, adam({}).hyper(1) as AdamHyper)).toThrow(RangeError);
  });

  it('a getter that shrinks or detaches an array read earlier gives a clean error, never a stale pointer', () => {
    // Every element is fetched (getters run) before any pointer or length is taken, so a getter on
    // grads[0] that resizes or transfers params[0]'s buffer is seen as a length mismatch.
    const b = native.binding, N = 1 << 16, g = new Float32Array(N).fill(1);
    const sgd = [Float64Array.of(0.1, 0, 1, 0, 1, 0, 0, 0, 1), 0] as const;
    const withGetter = (get: () => void) => {
      const grads: Float32Array[] = [];
      Object.defineProperty(grads, 0, { enumerable: true, get() { get(); return g; } });
      return grads;
    };
    // a resizable ArrayBuffer (ES2024; target es2022 has no types for it)
    type Resizable = ArrayBuffer & { resize(bytes: number): void };
    const resizable = (bytes: number) =>
      new (ArrayBuffer as unknown as new (n: number, o: object) => Resizable)(bytes, { maxByteLength: bytes });
    const ab = resizable(N * 4), rp = new Float32Array(ab).fill(1);
    expect(() => b.sgdStep([rp], withGetter(() => ab.resize(4)), null, null, null, ...sgd))
      .toThrow(/sgdStep: grads\[0\].length 65536 != params\[0\].length 1/);
    const dp = new Float32Array(N).fill(1);
    expect(() => b.sgdStep([dp], withGetter(() => structuredClone(dp.buffer, { transfer: [dp.buffer] })), null, null, null, ...sgd))
      .toThrow(/grads\[0\].length 65536 != params\[0\].length 0/);
    // through the backend (validators read the elements too) and with a state list
    const ab2 = resizable(N * 4), m = new Float32Array(ab2);
    const p2 = new Float32Array(N);
    expect(() => native.sgdStep([p2], withGetter(() => ab2.resize(0)), [m],
      { lr: 0.1, momentum: 0.9, gradScale: 1, weightDecay: 0, nesterov: false, firstStep: true })).toThrow(RangeError);
    // a getter that throws: its own error comes through
    expect(() => b.sgdStep([new Float32Array(4)], withGetter(() => { throw new Error('boom'); }), null, null, null, ...sgd)).toThrow('boom');
    // the process lives on and the arrays still step correctly
    const p = new Float32Array(8).fill(1);
    b.sgdStep([p], [new Float32Array(8).fill(1)], null, null, null, ...sgd);
    expect(p[0]).toBeCloseTo(0.9, 6);
  });

  it('a group larger than the binding\'s stack scratch (64 tensors) steps like one call per tensor', () => {
    const rng = new Rng(9), n = 200;
    const p = Array.from({ length: n }, (_, i) => randomF32(rng, 1 + (i % 5))), g = p.map((a) => randomF32(rng, a.length));
    const m = p.map((a) => new Float32Array(a.length)), v = p.map((a) => new Float32Array(a.length));
    const p1 = p.map((a) => a.slice()), m1 = m.map((a) => a.slice()), v1 = v.map((a) => a.slice());
    const h = adam({}).hyper(1) as AdamHyper;
    native.adamStep(p, g, m, v, null, h);
    for (let i = 0; i < n; i++) native.adamStep([p1[i]!], [g[i]!], [m1[i]!], [v1[i]!], null, h);
    for (let i = 0; i < n; i++) expect(p[i]).toEqual(p1[i]);
  });
});

// Optimizers against PyTorch 1.13 (test/fixtures/optim/trajectories.json, made by generate.py there):
// 100 steps on a fixed least-squares problem, in float64 (reference backend: to ~1e-12) and float32
// (active backend: to float32 round-off); option validation; param groups; stateDict round trips;
// the two SGD momentum forms; regularizers and gradient clipping.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  Adagrad, Adam, AdamW, type OptimizerStateDict, Parameter, RMSprop, SGD, Tensor, backends, clipGradNorm, clipGradValue, regularizers,
} from '../lib/index';
import type { Optimizer } from '../lib/optim/optimizer';

interface Fixture {
  A: number[][]; b: number[]; x0: number[]; steps: number;
  cases: Array<{ optimizer: string; options: Record<string, unknown>; groups: null | Array<{ range: [number, number]; options: object }>; x: number[][] }>;
}
const fx = JSON.parse(readFileSync(path.join(__dirname, 'fixtures/optim/trajectories.json'), 'utf8')) as Fixture;
const CLASSES: Record<string, new (p: never, o: never) => Optimizer<object>> = { SGD, Adam, AdamW, Adagrad, RMSprop } as never;

/** ∇ of 0.5·mean((A·x − b)²) in float64, x = concatenation of the parameters' values. */
function lsqGrad(ps: Parameter[]): void {
  const x = ps.flatMap((p) => Array.from(p.value.data));
  const r = fx.A.map((row, i) => row.reduce((s, a, j) => s + a * x[j]!, 0) - fx.b[i]!);
  let off = 0;
  for (const p of ps) {
    for (let j = 0; j < p.grad.data.length; j++) {
      p.grad.data[j] = p.grad.data[j]! + r.reduce((s, ri, i) => s + ri * fx.A[i]![off + j]!, 0) / fx.A.length;
    }
    off += p.grad.data.length;
  }
}

function build(c: Fixture['cases'][number], dtype: 'float32' | 'float64') {
  const ranges = c.groups ? c.groups.map((g) => g.range) : [[0, fx.x0.length] as [number, number]];
  const ps = ranges.map(([s, e]) => new Parameter(Tensor.fromArray(fx.x0.slice(s, e), [e - s], dtype)));
  const arg = c.groups ? c.groups.map((g, i) => ({ params: [ps[i]!], ...g.options })) : ps;
  return { ps, opt: new CLASSES[c.optimizer]!(arg as never, c.options as never) };
}

function runSteps(opt: Optimizer<object>, ps: Parameter[], n: number): void {
  for (let t = 0; t < n; t++) {
    opt.zeroGrad();
    lsqGrad(ps);
    opt.step();
  }
}

const flat = (ps: Parameter[]) => ps.flatMap((p) => Array.from(p.value.data));

describe('optimizers match PyTorch 1.13 on a least-squares problem', () => {
  for (const c of fx.cases) {
    const label = `${c.optimizer} ${JSON.stringify(c.options)}${c.groups ? ' (2 groups)' : ''}`;
    it(`${label}: float64 trajectory to 1e-12 (centered 1e-11), float32 to round-off`, () => {
      const d = build(c, 'float64');
      const s = build(c, 'float32');
      // centered RMSprop's v − ḡ² cancels as the gradient vanishes near the optimum, so ulp-level
      // differences in the order of operations (PyTorch's (g·g)·(1−α) vs our (1−α)·g·g) grow there
      // (with lr 0.01, α 0.9 past 1e-10 by step 96, hence the fixture's smaller lr)
      const tol64 = c.options.centered ? 1e-11 : 1e-12;
      for (let t = 0; t < fx.steps; t++) {
        runSteps(d.opt, d.ps, 1);
        runSteps(s.opt, s.ps, 1);
        const want = c.x[t]!, got = flat(d.ps), got32 = flat(s.ps);
        for (let j = 0; j < want.length; j++) {
          const where = `${label} step ${t + 1} x[${j}]`;
          expect(Math.abs(got[j]! - want[j]!), where).toBeLessThanOrEqual(tol64 * (1 + Math.abs(want[j]!)));
          // float32 data (native when active): each step rounds θ and the state to float32
          expect(Math.abs(got32[j]! - want[j]!), `${where} float32`).toBeLessThanOrEqual(2e-5 * (1 + Math.abs(want[j]!)));
        }
      }
    });
  }
});

describe('stateDict round trip', () => {
  for (const c of fx.cases) {
    it(`${c.optimizer} ${JSON.stringify(c.options)}: stop at 37, save, load into a fresh one, continue = uninterrupted`, () => {
      for (const dtype of ['float32', 'float64'] as const) {
        const a = build(c, dtype), b = build(c, dtype);
        runSteps(a.opt, a.ps, 100);
        runSteps(b.opt, b.ps, 37);
        const saved = JSON.parse(JSON.stringify(b.opt.stateDict().json)) as OptimizerStateDict['json'];
        const buffers = b.opt.stateDict().buffers;
        const fresh = build(c, dtype);
        b.ps.forEach((p, i) => fresh.ps[i]!.value.data.set(p.value.data));
        fresh.opt.loadStateDict({ json: saved, buffers });
        runSteps(fresh.opt, fresh.ps, 63);
        expect(flat(fresh.ps)).toEqual(flat(a.ps));
      }
    });
  }

  it('a mismatched state is a clear error', () => {
    const c = fx.cases.find((k) => k.optimizer === 'Adam')!;
    const a = build(c, 'float32');
    runSteps(a.opt, a.ps, 2);
    const sd = a.opt.stateDict();
    expect(() => build(fx.cases[0]!, 'float32').opt.loadStateDict(sd)).toThrow(/state of a Adam optimizer, this is SGD/);
    expect(() => build(c, 'float64').opt.loadStateDict(sd)).toThrow(/expAvg is a Float32Array\(5\), the parameter a Float64Array\(5\)/);
    const two = build(fx.cases.find((k) => k.groups)!, 'float32');
    expect(() => two.opt.loadStateDict(sd)).toThrow(/1 parameter groups, this optimizer has 2/);
    const bad = { json: { ...sd.json, state: { 0: { step: 2, buffers: { expAvgg: 0 } } } }, buffers: sd.buffers };
    expect(() => build(c, 'float32').opt.loadStateDict(bad)).toThrow(/unknown state 'expAvgg'/);
    const g0 = sd.json.paramGroups[0]!;
    const badBetas = { json: { ...sd.json, paramGroups: [{ ...g0, betas: [1, 0.9] }] }, buffers: sd.buffers };
    expect(() => build(c, 'float32').opt.loadStateDict(badBetas)).toThrow(/Adam: betas\[0\] must be in \[0, 1\)/);
    const badKey = { json: { ...sd.json, paramGroups: [{ ...g0, momentum: 0.9 }] }, buffers: sd.buffers };
    expect(() => build(c, 'float32').opt.loadStateDict(badKey)).toThrow(/group 0: unknown option 'momentum'/);
    const short = { json: sd.json, buffers: sd.buffers.map((x) => x.subarray(1)) };
    expect(() => build(c, 'float32').opt.loadStateDict(short)).toThrow(/Float32Array\(4\)/);
  });
});

describe('options', () => {
  const p = () => [new Parameter(Tensor.zeros([3]))];
  it('PyTorch defaults', () => {
    expect(new Adam(p()).defaults).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false });
    expect(new AdamW(p()).defaults).toMatchObject({ weightDecay: 1e-2 });
    expect(new Adagrad(p()).defaults).toMatchObject({ lr: 1e-2, lrDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 });
    expect(new RMSprop(p()).defaults).toMatchObject({ lr: 1e-2, alpha: 0.99, eps: 1e-8, momentum: 0, centered: false });
    expect(new SGD(p(), { lr: 0.1 }).defaults).toMatchObject({ momentum: 0, dampening: 0, nesterov: false, momentumForm: 'pytorch' });
  });
  it('bad options are errors naming the option', () => {
    expect(() => new Adam(p(), { lr: -1 })).toThrow(/Adam: lr must be a finite number >= 0, got -1/);
    expect(() => new Adam(p(), { betas: [0.9, 1] })).toThrow(/Adam: betas\[1\] must be in \[0, 1\), got 1/);
    expect(() => new AdamW(p(), { betas: [-0.1, 0.9] })).toThrow(/AdamW: betas\[0\]/);
    expect(() => new SGD(p(), { lr: 0.1, nesterov: true })).toThrow(/SGD: nesterov requires momentum > 0 and dampening = 0/);
    expect(() => new SGD(p(), { lr: 0.1, momentum: 0.9, nesterov: true, dampening: 0.1 })).toThrow(/nesterov/);
    expect(() => new SGD(p(), {} as never)).toThrow(/SGD: option lr is required/);
    expect(() => new Adam(p(), { learningRate: 0.1 } as never)).toThrow(/Adam: unknown option 'learningRate' \(known: lr, betas/);
    expect(() => new RMSprop(p(), { eps: -1 })).toThrow(/RMSprop: eps/);
    expect(() => new Adagrad(p(), { lrDecay: -1 })).toThrow(/Adagrad: lrDecay/);
    expect(() => new SGD(p(), { lr: 0.1, momentumForm: 'keras' as never })).toThrow(/momentumForm must be one of 'pytorch', 'ema'/);
    expect(() => new Adam([{ params: p(), lr: -2 }])).toThrow(/Adam: lr must be/);
    expect(() => new Adam([{ params: p(), beta: 1 } as never])).toThrow(/Adam: group 0: unknown option 'beta'/);
    const q = p();
    expect(() => new Adam([{ params: q }, { params: q }])).toThrow(/more than one group/);
  });
});

describe('SGD momentum forms, groups, schedules as lr', () => {
  it("'ema' with lr/(1−β) equals 'pytorch' (no dampening) at every step; at equal lr its first step is (1−β)·lr·g", () => {
    const mk = () => new Parameter(Tensor.fromArray([1, -2, 3], [3], 'float64'));
    const a = mk(), b = mk();
    const pt = new SGD([a], { lr: 0.1, momentum: 0.9 }), ema = new SGD([b], { lr: 1.0, momentum: 0.9, momentumForm: 'ema' });
    for (let t = 0; t < 20; t++) {
      for (const q of [a, b]) q.grad.data.set([Math.sin(t), Math.cos(t), 0.5]);
      pt.step();
      ema.step();
      for (let j = 0; j < 3; j++) expect(b.value.data[j]!).toBeCloseTo(a.value.data[j]!, 12);
    }
    const c = mk(), e = new SGD([c], { lr: 0.1, momentum: 0.9, momentumForm: 'ema' });
    c.grad.data.fill(1);
    e.step();
    expect(Array.from(c.value.data)).toEqual([1 - 0.1 * 0.1, -2 - 0.1 * 0.1, 3 - 0.1 * 0.1].map((v) => v));
  });

  it('paramGroups[i].lr is mutable, non-trainable parameters are skipped, zeroGrad zeroes', () => {
    const a = new Parameter(Tensor.fromArray([1], [1], 'float64')), b = new Parameter(Tensor.fromArray([1], [1], 'float64'), { trainable: false });
    const o = new SGD([a, b], { lr: 0.5 });
    a.grad.data[0] = 1; b.grad.data[0] = 1;
    o.step();
    o.paramGroups[0]!.lr = 0.25;
    o.step();
    expect(a.value.data[0]).toBe(1 - 0.5 - 0.25);
    expect(b.value.data[0]).toBe(1);
    o.zeroGrad();
    expect(a.grad.data[0]).toBe(0);
  });

  it('a schedule object as lr is evaluated at iterations 0, 1, 2, … (Keras semantics)', () => {
    const a = new Parameter(Tensor.fromArray([0], [1], 'float64'));
    const o = new SGD([a], { lr: { lrAt: (s: number) => 10 ** -s } });
    for (let t = 0; t < 3; t++) { a.grad.data[0] = 1; o.step(); }
    expect(a.value.data[0]).toBeCloseTo(-(1 + 0.1 + 0.01), 14);
    expect(o.iterations).toBe(3);
  });
});

describe('regularizers and clipping', () => {
  it('l1, l2, l1l2: Keras penalty and gradient', () => {
    const w = new Float64Array([1, -2, 0]);
    expect(regularizers.l1(0.1).penalty(w)).toBeCloseTo(0.3, 15);
    expect(regularizers.l2().penalty(w)).toBeCloseTo(0.05, 15);
    expect(regularizers.l1l2({ l1: 0.1, l2: 0.01 }).penalty(w)).toBeCloseTo(0.35, 15);
    const g = new Float64Array([1, 1, 1]);
    regularizers.l1l2({ l1: 0.1, l2: 0.01 }).addGradient(w, g);
    expect(Array.from(g)).toEqual([1 + 0.1 + 0.02, 1 - 0.1 - 0.04, 1]);
    expect(() => regularizers.l1l2({ l3: 1 } as never)).toThrow(/unknown option 'l3'/);
    expect(() => regularizers.l2(-1)).toThrow(/l2 must be a finite number >= 0/);
  });
  it('clipGradNorm returns the total norm and scales by maxNorm/(norm + 1e-6); clipGradValue clamps', () => {
    const a = new Parameter(Tensor.fromArray([3, 0], [2], 'float64')), b = new Parameter(Tensor.fromArray([4], [1], 'float64'));
    a.grad.data.set([3, 0]); b.grad.data.set([4]);
    expect(clipGradNorm([a, b], 1)).toBe(5);
    expect(a.grad.data[0]).toBeCloseTo(3 / (5 + 1e-6), 15);
    expect(clipGradNorm([a, b], 10)).toBeCloseTo(1, 5);
    expect(a.grad.data[0]).toBeCloseTo(3 / (5 + 1e-6), 15); // under maxNorm: unchanged
    b.grad.data.set([-7]);
    expect(clipGradNorm([a, b], 100, Infinity)).toBe(7);
    clipGradValue([a, b], 0.5);
    expect(Array.from(b.grad.data)).toEqual([-0.5]);
    b.grad.data.set([NaN]);
    clipGradValue([b], 0.5);
    expect(b.grad.data[0]).toBeNaN();
  });
});

describe('optimizer kernel validators (check_optim.ts)', () => {
  const be = backends.reference;
  const h = { stepSize: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, bc2Sqrt: 1, weightDecay: 0, decay: 1, amsgrad: false };
  const a = () => new Float32Array(4);
  it('lists, lengths, required states, aliasing and hyperparameters', () => {
    expect(() => be.adamStep([a()], [], [a()], [a()], null, h)).toThrow(/adamStep: grads has 0 tensors, params has 1/);
    expect(() => be.adamStep([a()], [new Float32Array(3)], [a()], [a()], null, h)).toThrow(/grads\[0\].length 3 != params\[0\].length 4/);
    expect(() => be.adamStep([a()], [a()], [a()], [a()], null, { ...h, amsgrad: true })).toThrow(/maxExpAvgSqs is required/);
    const p = a();
    expect(() => be.adamStep([p], [p], [a()], [a()], null, h)).toThrow(/params\[0\] must not overlap grads\[0\]/);
    expect(() => be.adamStep([a()], [a()], [a()], [a()], null, { ...h, eps: NaN })).toThrow(/h.eps must be a finite number/);
    expect(() => be.sgdStep([a()], [a()], null, { lr: 0.1, momentum: 0.9, gradScale: 1, weightDecay: 0, nesterov: false, firstStep: true }))
      .toThrow(/momentumBufs is required/);
    expect(() => be.adagradStep([[1, 2] as never], [a()], [a()], { clr: 0.1, weightDecay: 0, eps: 1e-10 })).toThrow(TypeError);
    const f64 = () => [new Float64Array(4)];
    if (backends.native) {
      expect(() => backends.native!.adamStep(f64(), f64(), f64(), f64(), null, h)).toThrow(/must be a Float32Array for the native backend/);
    }
  });
});

describe('aliasing across the tensors of one call', () => {
  const h = { stepSize: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, bc2Sqrt: 1, weightDecay: 0.5, decay: 1, amsgrad: false };
  const sgd = { lr: 0.1, momentum: 0.9, gradScale: 1, weightDecay: 0, nesterov: false, firstStep: false };
  const a = (n = 8) => new Float32Array(n);
  const bes = [backends.reference, ...(backends.native ? [backends.native] : [])];
  for (const be of bes) {
    it(`${be.name}: a written array of one tensor may not share memory with any array of another`, () => {
      const p = a(), g = a();
      // the same parameter twice, a momentum buffer that is another tensor's parameter
      expect(() => be.adamStep([p, p], [g, g], [a(), a()], [a(), a()], null, h)).toThrow(/params\[0\] must not overlap params\[1\]/);
      const p0 = a(), p1 = a();
      expect(() => be.sgdStep([p0, p1], [a(), a()], [a(), p0], sgd)).toThrow(/params\[0\] must not overlap momentumBufs\[1\]/);
      // views of one buffer: overlapping is an error, adjacent is fine
      const big = new Float32Array(40);
      expect(() => be.adamStep([big.subarray(0, 8), a()], [a(), a()], [a(), big.subarray(4, 12)], [a(), a()], null, h))
        .toThrow(/params\[0\] must not overlap expAvgs\[1\]/);
      expect(() => be.adamStep([big.subarray(0, 8), big.subarray(8, 16)], [a(), a()], [big.subarray(16, 24), big.subarray(24, 32)],
        [a(), big.subarray(32, 40)], null, h)).not.toThrow();
      // a grad may not overlap any written array, of any tensor
      const p2 = a();
      expect(() => be.adamStep([a(), p2], [p2, a()], [a(), a()], [a(), a()], null, h)).toThrow(/params\[1\] must not overlap grads\[0\]/);
      const v = a();
      expect(() => be.adamStep([a(), a()], [a(), v], [a(), a()], [v, a()], null, h)).toThrow(/grads\[1\].*expAvgSqs\[0\]|expAvgSqs\[0\].*grads\[1\]/);
    });

    it(`${be.name}: grads may be shared between tensors (they are only read); empty arrays never overlap`, () => {
      const g = a(), p0 = a(), p1 = a();
      g.fill(1);
      be.sgdStep([p0, p1], [g, g], [a(), a()], sgd);
      expect(Array.from(p0)).toEqual(Array.from(p1));
      const e = new Float32Array(0);
      expect(() => be.sgdStep([e, e], [e, e], null, { ...sgd, momentum: 0 })).not.toThrow();
    });
  }

  it('an optimizer rejects two Parameters that share data (one Tensor, overlapping views, a grad over a value)', () => {
    const p = new Parameter(Tensor.zeros([4]));
    expect(() => new Adam([p, new Parameter(p.value)])).toThrow(/Adam: parameter 1 and parameter 0 share one value Tensor/);
    const buf = new Float32Array(8);
    const v = (s: number, e: number) => new Parameter(Tensor.fromArray(buf.subarray(s, e), [e - s]));
    expect(() => new SGD([{ params: [v(0, 4)] }, { params: [v(2, 6)] }], { lr: 0.1 })).toThrow(/SGD: the value of parameter 0 and the value of parameter 1 share memory/);
    expect(() => new SGD([v(0, 4), v(4, 8)], { lr: 0.1 })).not.toThrow();
    const q = new Parameter(Tensor.zeros([4]));
    const r = new Parameter(Tensor.fromArray(q.grad.data, [4]));
    expect(() => new Adam([q, r])).toThrow(/share memory/);
  });
});

describe('state dicts are checked against the options before anything changes', () => {
  const c = () => fx.cases.find((k) => k.optimizer === 'Adam' && !k.groups)!;
  it('a state that has stepped needs the buffers of every step (Adam expAvg and expAvgSq, Adagrad sum, RMSprop squareAvg)', () => {
    const a = build(c(), 'float32');
    runSteps(a.opt, a.ps, 5);
    const sd = a.opt.stateDict();
    const s0 = sd.json.state['0']!;
    const noV = { json: { ...sd.json, state: { 0: { step: 5, buffers: { expAvg: s0.buffers.expAvg! } } } }, buffers: sd.buffers };
    const fresh = build(c(), 'float32');
    expect(() => fresh.opt.loadStateDict(noV)).toThrow(/Adam.loadStateDict: parameter 0 is at step 5 but has no 'expAvgSq' state/);
    expect(fresh.opt.stateDict().json.state).toEqual({}); // unchanged
    const ada = new Adagrad([new Parameter(Tensor.zeros([2]))]);
    expect(() => ada.loadStateDict({ json: { ...ada.stateDict().json, state: { 0: { step: 2, buffers: {} } } }, buffers: [] }))
      .toThrow(/no 'sum' state/);
    const rms = new RMSprop([new Parameter(Tensor.zeros([2]))], { centered: true });
    const bad = { json: { ...rms.stateDict().json, state: { 0: { step: 1, buffers: { gradAvg: 0 } } } }, buffers: [new Float32Array(2)] };
    expect(() => rms.loadStateDict(bad)).toThrow(/no 'squareAvg' state/);
  });
  it('option-dependent buffers may be missing: amsgrad switched on mid-run still round-trips exactly', () => {
    const a = build(c(), 'float32'), b = build(c(), 'float32');
    runSteps(a.opt, a.ps, 3);
    runSteps(b.opt, b.ps, 3);
    for (const o of [a.opt, b.opt]) (o.paramGroups[0] as { amsgrad?: boolean }).amsgrad = true;
    const fresh = build(c(), 'float32');
    b.ps.forEach((p, i) => fresh.ps[i]!.value.data.set(p.value.data));
    fresh.opt.loadStateDict(b.opt.stateDict());
    runSteps(a.opt, a.ps, 4);
    runSteps(fresh.opt, fresh.ps, 4);
    expect(flat(fresh.ps)).toEqual(flat(a.ps));
  });
  it('malformed state entries are TypeErrors, not crashes', () => {
    const a = build(c(), 'float32');
    runSteps(a.opt, a.ps, 1);
    const sd = a.opt.stateDict();
    const o = () => build(c(), 'float32').opt;
    const withState = (state: unknown) => ({ json: { ...sd.json, state } as never, buffers: sd.buffers });
    expect(() => o().loadStateDict(withState(null))).toThrow(/json.state must be an object/);
    expect(() => o().loadStateDict(withState({ 0: null }))).toThrow(/parameter 0: state must be an object/);
    expect(() => o().loadStateDict(withState({ 0: { step: 1, buffers: null } }))).toThrow(/buffers must be an object/);
    expect(() => o().loadStateDict(withState({ 0: { step: 1, buffers: { expAvg: 'x' } } }))).toThrow(/expAvg must be a buffer index, got x/);
    expect(() => o().loadStateDict(withState({ 0: { step: '1', buffers: {} } }))).toThrow(/step must be an integer/);
  });
});

describe('no per-step garbage: cached buckets and hyperparameters', () => {
  it('the cached layout is rebuilt when it changes (state created, parameter frozen, amsgrad on, state loaded)', () => {
    // a: one optimizer all along (cached buckets); b: a fresh optimizer every step (nothing cached)
    const mk = () => [0, 1, 2].map(() => new Parameter(Tensor.fromArray([1, 2, 3], [3])));
    const a = mk(), b = mk();
    const oa = new Adam(a, { lr: 0.1 });
    let sd = new Adam(b, { lr: 0.1 }).stateDict();
    for (let t = 0; t < 8; t++) {
      for (const ps of [a, b]) ps.forEach((p, i) => p.grad.data.fill(i - t));
      if (t === 3) { a[1]!.trainable = false; b[1]!.trainable = false; oa.paramGroups[0]!.amsgrad = true; }
      if (t === 5) { a[1]!.trainable = true; b[1]!.trainable = true; }
      if (t === 6) oa.loadStateDict(oa.stateDict());
      const ob = new Adam(b, { lr: 0.1 });
      ob.loadStateDict(sd);
      if (t === 3) ob.paramGroups[0]!.amsgrad = true;
      oa.step();
      ob.step();
      sd = ob.stateDict();
      for (let i = 0; i < 3; i++) expect(Array.from(a[i]!.value.data), `step ${t} param ${i}`).toEqual(Array.from(b[i]!.value.data));
    }
    const st = oa.stateDict().json.state;
    expect([st['0']!.step, st['1']!.step, st['2']!.step]).toEqual([8, 6, 8]);
    expect(Object.keys(st['1']!.buffers).sort()).toEqual(['expAvg', 'expAvgSq', 'maxExpAvgSq']);
  });
});

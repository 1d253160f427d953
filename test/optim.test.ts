// Optimizers against PyTorch 1.13 (test/fixtures/optim/trajectories.json, made by generate.py there):
// 100 steps on a fixed least-squares problem, in float64 (reference backend: to ~1e-12) and float32
// (active backend: to float32 round-off); option validation; param groups; stateDict round trips;
// the two SGD momentum forms; regularizers and gradient clipping.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  Adagrad, Adam, AdamW, type OptimizerStateDict, Parameter, RMSprop, SGD, Tensor, clipGradNorm, clipGradValue, regularizers,
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

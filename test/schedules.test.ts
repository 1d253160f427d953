// Learning-rate schedules: PyTorch's schedulers against PyTorch 1.13 (test/fixtures/optim/schedulers.json,
// made by generate.py there), edge cases included; recursive vs closed forms; Keras schedules against
// values worked out by hand from the Keras documentation's formulas; stateDict round trips of optimizer
// and scheduler together.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  Adam, CosineAnnealingLR, CosineAnnealingWarmRestarts, CosineDecay, CosineDecayRestarts, ExponentialDecay, ExponentialLR,
  InverseTimeDecay, LambdaLR, LinearLR, MultiStepLR, OneCycleLR, Parameter, PiecewiseConstantDecay, PolynomialDecay,
  PolynomialLR, ReduceLROnPlateau, SGD, SequentialLR, StepLR, Tensor, type LRScheduler,
} from '../lib/index';
import type { Optimizer } from '../lib/optim/optimizer';

interface Case { scheduler: string; options: Record<string, unknown>; optimizer: string; lr: number[]; momentum?: number[];
  metrics?: number[]; groupLr?: number; initialLr?: number }
const fx = JSON.parse(readFileSync(path.join(__dirname, 'fixtures/optim/schedulers.json'), 'utf8')) as { cases: Case[] };

type Ctor = new (o: Optimizer<object>, opts: never) => LRScheduler;
const CTORS: Record<string, Ctor> = {
  StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, CosineAnnealingWarmRestarts, LinearLR, PolynomialLR, OneCycleLR,
} as unknown as Record<string, Ctor>;

function optimizer(kind: string, groupLr?: number, initialLr?: number): Optimizer<object> {
  const p = new Parameter(Tensor.zeros([1], 'float64'));
  if (initialLr !== undefined) return new SGD([{ params: [p], initialLr }], { lr: groupLr! }) as never;
  return (kind === 'Adam' ? new Adam([p], { lr: 0.1 }) : new SGD([p], { lr: 0.1, momentum: 0.9 })) as never;
}

function make(c: Case, opt: Optimizer<object>): { step(m?: number): void } {
  if (c.scheduler === 'SequentialLR') {
    const subs = (c.options.schedulers as Array<[string, object?]>).map(([n, o]) => new CTORS[n]!(opt, (o ?? {}) as never));
    return new SequentialLR(opt, { schedulers: subs, milestones: c.options.milestones as number[] });
  }
  if (c.scheduler === 'ReduceLROnPlateau') return new ReduceLROnPlateau(opt, c.options as never);
  return new CTORS[c.scheduler]!(opt, c.options as never);
}

const momentumOf = (o: Optimizer<object>) => {
  const g = o.paramGroups[0] as unknown as { momentum?: number; betas?: number[] };
  return g.betas ? g.betas[0]! : g.momentum!;
};
const close = (a: number, b: number, rel = 1e-12) => Math.abs(a - b) <= rel * Math.max(Math.abs(b), 1e-3);

describe('PyTorch schedulers match PyTorch 1.13', () => {
  for (const c of fx.cases) {
    it(`${c.scheduler} ${JSON.stringify(c.options)}: ${c.lr.length - 1} steps`, () => {
      const opt = optimizer(c.optimizer, c.groupLr, c.initialLr);
      const s = c.groupLr !== undefined ? new CosineAnnealingLR(opt, c.options as never) : make(c, opt);
      for (let t = 0; t < c.lr.length; t++) {
        if (t > 0) s.step(c.metrics?.[t - 1]);
        const lr = opt.paramGroups[0]!.lr as number;
        expect(close(lr, c.lr[t]!), `step ${t}: lr ${lr} vs PyTorch ${c.lr[t]}`).toBe(true);
        if (c.momentum) expect(close(momentumOf(opt), c.momentum[t]!), `step ${t}: momentum`).toBe(true);
      }
    });
  }

  it('OneCycleLR: stepping past totalSteps is an error (as PyTorch)', () => {
    const opt = optimizer('SGD'), s = new OneCycleLR(opt, { maxLr: 1, totalSteps: 10 });
    for (let t = 0; t < 10; t++) s.step();
    expect(() => s.step()).toThrow(/tried to step 11 times; the specified number of total steps is 10/);
  });

  it('resuming with lastEpoch needs initialLr in the groups', () => {
    expect(() => new StepLR(optimizer('SGD'), { stepSize: 2, lastEpoch: 3 })).toThrow(/initialLr is not set/);
    expect(() => new StepLR(optimizer('SGD'), { stepSize: 0 })).toThrow(/stepSize must be an integer >= 1/);
    expect(() => new ReduceLROnPlateau(optimizer('SGD'), { factor: 1 })).toThrow(/factor should be < 1.0/);
    expect(() => new OneCycleLR(optimizer('SGD'), { maxLr: 1 })).toThrow(/totalSteps, or epochs and stepsPerEpoch/);
  });
});

describe('recursive (step) and closed (lrAt) forms agree to 1e-12 relative in float64', () => {
  const cases: Array<[string, (o: Optimizer<object>) => LRScheduler]> = [
    ['StepLR', (o) => new StepLR(o, { stepSize: 7, gamma: 0.7 })],
    ['MultiStepLR', (o) => new MultiStepLR(o, { milestones: [3, 3, 30, 70] })],
    ['ExponentialLR', (o) => new ExponentialLR(o, { gamma: 0.97 })],
    ['CosineAnnealingLR past T_max', (o) => new CosineAnnealingLR(o, { tMax: 13, etaMin: 0.001 })],
    ['LinearLR', (o) => new LinearLR(o, { startFactor: 0.2, endFactor: 0.9, totalIters: 40 })],
    ['PolynomialLR', (o) => new PolynomialLR(o, { totalIters: 60, power: 1.5 })],
    ['CosineAnnealingWarmRestarts T_mult 2', (o) => new CosineAnnealingWarmRestarts(o, { t0: 3, tMult: 2, etaMin: 0.01 })],
    ['OneCycleLR', (o) => new OneCycleLR(o, { maxLr: 0.5, totalSteps: 100 })],
    ['LambdaLR', (o) => new LambdaLR(o, { lrLambda: (e) => 1 / (1 + e) })],
  ];
  for (const [name, mk] of cases) {
    it(name, () => {
      const opt = optimizer('SGD'), s = mk(opt);
      for (let t = 0; t <= 100; t++) {
        if (t > 0) s.step();
        const lr = opt.paramGroups[0]!.lr as number, closed = s.lrAt(s.lastEpoch)![0]!;
        expect(Math.abs(lr - closed), `t=${t}: ${lr} vs ${closed}`).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(closed), 0.1 * 1e-3));
      }
    });
  }
});

describe('Keras schedules (values from the documented formulas, worked by hand)', () => {
  it('ExponentialDecay and staircase', () => {
    const e = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    expect(e.lrAt(0)).toBe(0.1);
    expect(e.lrAt(5)).toBeCloseTo(0.1 * Math.SQRT1_2, 15);
    expect(e.lrAt(20)).toBeCloseTo(0.025, 15);
    const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    expect([s.lrAt(9), s.lrAt(10), s.lrAt(19), s.lrAt(25)]).toEqual([0.1, 0.05, 0.05, 0.025]);
  });
  it('PiecewiseConstantDecay: boundaries are inclusive on the left piece', () => {
    const p = new PiecewiseConstantDecay({ boundaries: [100, 110], values: [1.0, 0.5, 0.1] });
    expect([0, 100, 101, 110, 111, 1e6].map((x) => p.lrAt(x))).toEqual([1, 1, 0.5, 0.5, 0.1, 0.1]);
    expect(() => new PiecewiseConstantDecay({ boundaries: [1], values: [1] })).toThrow(/one more element/);
  });
  it('InverseTimeDecay and staircase', () => {
    const i = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
    expect(i.lrAt(2)).toBeCloseTo(0.05, 15);
    const s = new InverseTimeDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 1, staircase: true });
    expect([s.lrAt(9), s.lrAt(10), s.lrAt(35)]).toEqual([1, 0.5, 0.25]);
  });
  it('PolynomialDecay, held at the end, and with cycle', () => {
    const p = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0.01, power: 2 });
    expect(p.lrAt(5)).toBeCloseTo(0.09 * 0.25 + 0.01, 15);
    expect(p.lrAt(10)).toBeCloseTo(0.01, 15);
    expect(p.lrAt(50)).toBeCloseTo(0.01, 15);
    const c = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0.01, cycle: true });
    expect(c.lrAt(0)).toBeCloseTo(0.1, 15);
    expect(c.lrAt(15)).toBeCloseTo(0.09 * (1 - 15 / 20) + 0.01, 15); // decay_steps ×⌈15/10⌉ = 20
    expect(c.lrAt(20)).toBeCloseTo(0.01, 15);
  });
  it('CosineDecay with alpha, and with linear warm-up', () => {
    const c = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100, alpha: 0.1 });
    expect(c.lrAt(50)).toBeCloseTo(0.1 * (0.9 * 0.5 + 0.1), 15);
    expect(c.lrAt(100)).toBeCloseTo(0.01, 15);
    expect(c.lrAt(1000)).toBeCloseTo(0.01, 15);
    const w = new CosineDecay({ initialLearningRate: 0, decaySteps: 100, warmupTarget: 0.2, warmupSteps: 10 });
    expect([w.lrAt(0), w.lrAt(5)]).toEqual([0, 0.1]);
    expect(w.lrAt(10)).toBeCloseTo(0.2, 15);
    expect(w.lrAt(60)).toBeCloseTo(0.1, 15);
    expect(w.lrAt(500)).toBeCloseTo(0, 15);
  });
  it('CosineDecayRestarts with tMul 2 and mMul 0.5', () => {
    const r = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, tMul: 2, mMul: 0.5 });
    expect(r.lrAt(0)).toBe(1);
    expect(r.lrAt(5)).toBeCloseTo(0.5, 15);
    expect(r.lrAt(10)).toBeCloseTo(0.5, 12); // restart: second period (20 steps), peak ×0.5
    expect(r.lrAt(20)).toBeCloseTo(0.25, 12);
    expect(r.lrAt(30)).toBeCloseTo(0.25, 12); // third period starts at 10 + 20
    const f = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, tMul: 1 });
    expect(f.lrAt(15)).toBeCloseTo(0.5, 15);
  });
  it('step/getLastLr/stateDict and use as an optimizer lr', () => {
    const e = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
    e.step(); e.step();
    expect(e.getLastLr()).toEqual([0.025]);
    const f = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
    f.loadStateDict(e.stateDict());
    expect(f.getLastLr()).toEqual([0.025]);
    expect(() => f.loadStateDict({ type: 'CosineDecay', iteration: 1 })).toThrow(/state of a CosineDecay/);
  });
});

describe('stateDict round trip of optimizer + scheduler', () => {
  const setups: Array<[string, (o: Optimizer<object>) => { step(m?: number): void; stateDict(): unknown; loadStateDict(s: never): void }, 'SGD' | 'Adam']> = [
    ['OneCycleLR with Adam', (o) => new OneCycleLR(o, { maxLr: 0.05, totalSteps: 60 }), 'Adam'],
    ['CosineAnnealingWarmRestarts', (o) => new CosineAnnealingWarmRestarts(o, { t0: 4, tMult: 2 }), 'SGD'],
    ['SequentialLR', (o) => new SequentialLR(o, { schedulers: [new LinearLR(o, { startFactor: 0.1, totalIters: 5 }), new CosineAnnealingLR(o, { tMax: 20 })], milestones: [5] }), 'SGD'],
    ['ReduceLROnPlateau', (o) => new ReduceLROnPlateau(o, { patience: 1, factor: 0.5, cooldown: 2 }), 'SGD'],
  ];
  for (const [name, mk, kind] of setups) {
    it(`${name}: stop at 23, save, load into fresh ones, continue = uninterrupted`, () => {
      const run = (o: Optimizer<object>, s: ReturnType<typeof mk>, p: Parameter, from: number, to: number, lrs: number[]) => {
        for (let t = from; t < to; t++) {
          p.grad.data.set([Math.sin(t), Math.cos(t)]);
          o.step();
          s.step(1 / (1 + (t % 5)));
          lrs.push(o.paramGroups[0]!.lr as number);
        }
      };
      const mkAll = () => {
        const p = new Parameter(Tensor.fromArray([1, 2], [2], 'float64'));
        const o = (kind === 'Adam' ? new Adam([p], { lr: 0.01 }) : new SGD([p], { lr: 0.05, momentum: 0.9 })) as unknown as Optimizer<object>;
        return { p, o, s: mk(o) };
      };
      const a = mkAll(), b = mkAll(), la: number[] = [], lb: number[] = [];
      run(a.o, a.s, a.p, 0, 50, la);
      run(b.o, b.s, b.p, 0, 23, lb);
      const so = JSON.parse(JSON.stringify(b.o.stateDict().json)), bufs = b.o.stateDict().buffers;
      const ss = JSON.parse(JSON.stringify(b.s.stateDict()));
      const c = mkAll();
      c.p.value.data.set(b.p.value.data);
      c.o.loadStateDict({ json: so, buffers: bufs });
      c.s.loadStateDict(ss as never);
      run(c.o, c.s, c.p, 23, 50, lb);
      expect(lb).toEqual(la);
      expect(Array.from(c.p.value.data)).toEqual(Array.from(a.p.value.data));
    });
  }
});

describe('step(epoch) and SequentialLR milestones set momentum as PyTorch (get_lr where there is no closed form)', () => {
  for (const kind of ['SGD', 'Adam']) {
    it(`OneCycleLR (${kind}): step(5) after two step()s gives the lr and ${kind === 'SGD' ? 'momentum' : 'beta1'} of five step()s`, () => {
      const a = optimizer(kind), b = optimizer(kind);
      const sa = new OneCycleLR(a, { maxLr: 1, totalSteps: 10 }), sb = new OneCycleLR(b, { maxLr: 1, totalSteps: 10 });
      sa.step(); sa.step(); sa.step(5);
      for (let i = 0; i < 5; i++) sb.step();
      expect(a.paramGroups[0]!.lr).toBe(b.paramGroups[0]!.lr);
      expect(momentumOf(a)).toBe(momentumOf(b));
      expect(momentumOf(a)).not.toBe(0.95);
      // lrAt stays pure: it leaves the groups' momentum alone
      const m = momentumOf(a);
      sa.lrAt(9);
      expect(momentumOf(a)).toBe(m);
      expect(() => sa.step(11)).toThrow(/tried to step 11 times/);
    });
  }

  it('SequentialLR: at a milestone the next OneCycleLR restarts momentum at maxMomentum with its lr', () => {
    const opt = optimizer('SGD');
    const s1 = new OneCycleLR(opt, { maxLr: 1, totalSteps: 10 }), s2 = new OneCycleLR(opt, { maxLr: 1, totalSteps: 10 });
    const seq = new SequentialLR(opt, { schedulers: [s1, s2], milestones: [4] });
    for (let i = 0; i < 3; i++) seq.step();
    expect(momentumOf(opt)).toBeLessThan(0.95);
    seq.step(); // epoch 4: s2.step(0)
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(1 / 25, 15);
    expect(momentumOf(opt)).toBeCloseTo(0.95, 15);
  });
});

describe('scheduler state and metric checks', () => {
  it('LRScheduler.loadStateDict rejects NaN lastEpoch and non-number lrs, and changes nothing then', () => {
    const s = new StepLR(optimizer('SGD'), { stepSize: 2 });
    s.step();
    const sd = s.stateDict();
    const before = JSON.stringify(s.stateDict());
    expect(() => s.loadStateDict({ ...sd, lastEpoch: NaN })).toThrow(/lastEpoch must be a finite number >= -1, got NaN/);
    expect(() => s.loadStateDict({ ...sd, lastEpoch: -2 })).toThrow(/lastEpoch/);
    expect(() => s.loadStateDict({ ...sd, stepCount: 1.5 })).toThrow(/stepCount must be an integer/);
    expect(() => s.loadStateDict({ ...sd, baseLrs: ['0.1' as never] })).toThrow(/baseLrs\[0\] must be a number/);
    expect(() => s.loadStateDict({ ...sd, lastLr: [NaN] })).toThrow(/lastLr\[0\] must be a number, got NaN/);
    expect(() => s.loadStateDict({ ...sd, lastLr: [-1] })).toThrow(/lastLr\[0\] must be a finite number >= 0/);
    expect(JSON.stringify(s.stateDict())).toBe(before);
    s.loadStateDict({ ...sd, lastEpoch: 2.5 }); // step(epoch) takes fractional epochs
    expect(s.lastEpoch).toBe(2.5);
  });

  it('ReduceLROnPlateau: a NaN metric is a bad epoch (never better, as PyTorch); a non-number is a TypeError', () => {
    for (const mode of ['min', 'max'] as const) {
      const opt = optimizer('SGD'), s = new ReduceLROnPlateau(opt, { mode, patience: 1, factor: 0.5 });
      s.step(1);
      s.step(NaN);
      expect(opt.paramGroups[0]!.lr).toBe(0.1);
      s.step(NaN); // two bad epochs > patience 1
      expect(opt.paramGroups[0]!.lr).toBe(0.05);
      expect(s.stateDict().best).toBe(1);
      expect(() => s.step('1' as never)).toThrow(TypeError);
    }
  });
  it('ReduceLROnPlateau, CosineAnnealingWarmRestarts and SequentialLR load all of a state or none of it', () => {
    const p = new ReduceLROnPlateau(optimizer('SGD'), { patience: 0 });
    p.step(1);
    p.step(2);
    const psd = p.stateDict(), pBefore = JSON.stringify(psd);
    expect(() => p.loadStateDict({ ...psd, best: 0.5, lastLr: [] })).toThrow(/saved state is for 0 parameter groups, the optimizer has 1/);
    expect(() => p.loadStateDict({ ...psd, best: 0.5, lastLr: [-1] })).toThrow(/lastLr\[0\] must be a finite number >= 0/);
    expect(() => p.loadStateDict({ ...psd, best: 0.5, lastEpoch: -1 })).toThrow(/lastEpoch/);
    expect(JSON.stringify(p.stateDict())).toBe(pBefore);

    const w = new CosineAnnealingWarmRestarts(optimizer('SGD'), { t0: 3 });
    for (let i = 0; i < 4; i++) w.step();
    const wsd = w.stateDict(), wBefore = JSON.stringify(wsd);
    expect(() => w.loadStateDict({ ...wsd, lastEpoch: 9, extra: { tI: 0, tCur: 1 } })).toThrow(/tI must be a finite number > 0/);
    expect(() => w.loadStateDict({ ...wsd, lastEpoch: 9, extra: { tI: 3, tCur: -1 } })).toThrow(/tCur must be a finite number >= 0/);
    expect(() => w.loadStateDict({ ...wsd, lastEpoch: 9, extra: undefined })).toThrow(/tI must be a number/);
    expect(JSON.stringify(w.stateDict())).toBe(wBefore);

    const opt = optimizer('SGD');
    const seq = new SequentialLR(opt, {
      schedulers: [new StepLR(opt, { stepSize: 2 }), new ExponentialLR(opt, { gamma: 0.9 })], milestones: [3],
    });
    for (let i = 0; i < 5; i++) seq.step();
    const ssd = JSON.parse(JSON.stringify(seq.stateDict())), sBefore = JSON.stringify(ssd);
    const badSecond = { ...ssd, schedulers: [{ ...ssd.schedulers[0], lastEpoch: 1 }, { ...ssd.schedulers[1], lastEpoch: NaN }] };
    expect(() => seq.loadStateDict(badSecond)).toThrow(/ExponentialLR.loadStateDict: lastEpoch must be a finite number/);
    expect(() => seq.loadStateDict({ ...ssd, lastEpoch: 1.5 })).toThrow(/SequentialLR.loadStateDict: lastEpoch must be an integer/);
    expect(JSON.stringify(seq.stateDict())).toBe(sBefore);
  });
});

// PyTorch-style schedulers with restarts, phases or children (torch.optim.lr_scheduler, 1.13):
// CosineAnnealingWarmRestarts, OneCycleLR (with momentum / beta1 cycling) and SequentialLR.
// Contract: as LRScheduler (PyTorch's step semantics, including its errors past the end of OneCycle).
// Not here: the single-formula schedules (lr_scheduler.ts).
import { Optimizer } from '../optim/optimizer';
import { checkBoolean, checkInt, checkKeys, checkNonNegative, checkNumber, checkOneOf, checkPositive } from '../optim/options';
import { LRScheduler } from './lr_scheduler';

type AnyOptimizer = Optimizer<object>;

/**
 * CosineAnnealingWarmRestarts (SGDR): lr = η_min + (base − η_min)·(1 + cos(π·T_cur/T_i))/2, T_cur
 * restarting at 0 after each period, the period growing ×T_mult. step(epoch) accepts fractional epochs.
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  readonly t0: number;
  readonly tMult: number;
  readonly etaMin: number;
  tI: number;
  tCur: number;
  constructor(optimizer: AnyOptimizer, options: { t0: number; tMult?: number; etaMin?: number; lastEpoch?: number }) {
    const o = checkKeys('CosineAnnealingWarmRestarts', options, ['t0', 'tMult', 'etaMin', 'lastEpoch']);
    super('CosineAnnealingWarmRestarts', optimizer, (o.lastEpoch as number | undefined) ?? -1);
    this.t0 = checkInt('CosineAnnealingWarmRestarts', 't0', o.t0, 1);
    this.tMult = checkInt('CosineAnnealingWarmRestarts', 'tMult', o.tMult ?? 1, 1);
    this.etaMin = checkNonNegative('CosineAnnealingWarmRestarts', 'etaMin', o.etaMin ?? 0);
    this.tI = this.t0;
    this.tCur = this.lastEpoch;
    this.initialStep();
  }
  protected getLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + (b - this.etaMin) * (1 + Math.cos(Math.PI * this.tCur / this.tI)) / 2);
  }
  /** Closed form: T_cur and T_i from the epoch (PyTorch's step(epoch) branch). */
  override lrAt(t: number): number[] {
    const [tCur, tI] = this.position(t);
    return this.baseLrs.map((b) => this.etaMin + (b - this.etaMin) * (1 + Math.cos(Math.PI * tCur / tI)) / 2);
  }
  private position(epoch: number): [number, number] {
    if (epoch < this.t0) return [epoch, this.t0];
    if (this.tMult === 1) return [epoch % this.t0, this.t0];
    const n = Math.floor(Math.log(epoch / this.t0 * (this.tMult - 1) + 1) / Math.log(this.tMult));
    return [epoch - this.t0 * (this.tMult ** n - 1) / (this.tMult - 1), this.t0 * this.tMult ** n];
  }
  override step(epoch?: number): void {
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      this.tCur += 1;
      if (this.tCur >= this.tI) {
        this.tCur -= this.tI;
        this.tI *= this.tMult;
      }
      epoch = this.lastEpoch + 1;
    } else {
      checkNonNegative('CosineAnnealingWarmRestarts', 'epoch', epoch);
      [this.tCur, this.tI] = this.position(epoch);
    }
    this.stepCount++;
    this.lastEpoch = Math.floor(epoch);
    const values = this.getLr();
    this.groups().forEach((g, i) => { g.lr = values[i]!; });
    this.lastLr = values;
  }
  protected override extraState(): unknown { return { tI: this.tI, tCur: this.tCur }; }
  protected override checkExtraState(e: unknown): void {
    const x = e as { tI: number; tCur: number } | undefined;
    const W = 'CosineAnnealingWarmRestarts.loadStateDict';
    checkPositive(W, 'tI', x?.tI);
    checkNonNegative(W, 'tCur', x!.tCur);
  }
  protected override loadExtraState(e: unknown): void {
    const x = e as { tI: number; tCur: number };
    this.tI = x.tI;
    this.tCur = x.tCur;
  }
}

export interface OneCycleOptions {
  maxLr: number | number[]; totalSteps?: number; epochs?: number; stepsPerEpoch?: number; pctStart?: number;
  annealStrategy?: 'cos' | 'linear'; cycleMomentum?: boolean; baseMomentum?: number; maxMomentum?: number;
  divFactor?: number; finalDivFactor?: number; threePhase?: boolean; lastEpoch?: number;
}
interface Phase { end: number; lr: ['initialLr' | 'maxLr' | 'minLr', 'initialLr' | 'maxLr' | 'minLr']; mom: ['maxMomentum' | 'baseMomentum', 'maxMomentum' | 'baseMomentum'] }

/**
 * OneCycleLR (Smith & Topin): lr from maxLr/divFactor up to maxLr over pctStart of totalSteps, then down
 * to initialLr/finalDivFactor (threePhase: back to initialLr first, then down); momentum (SGD) or beta1
 * (Adam) cycles inversely between maxMomentum and baseMomentum. Stepping past totalSteps is an error.
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  readonly phases: Phase[];
  readonly anneal: (start: number, end: number, pct: number) => number;
  readonly cycleMomentum: boolean;
  private readonly useBeta1: boolean;
  constructor(optimizer: AnyOptimizer, options: OneCycleOptions) {
    const W = 'OneCycleLR';
    const o = checkKeys(W, options, ['maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy',
      'cycleMomentum', 'baseMomentum', 'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase', 'lastEpoch']) as unknown as OneCycleOptions;
    const lastEpoch = o.lastEpoch ?? -1;
    const groups = optimizer instanceof Optimizer ? (optimizer.paramGroups as unknown as Array<Record<string, unknown>>) : [];
    const perGroup = (v: unknown, name: string): number[] => groups.map((_, i) => checkNonNegative(W, name, Array.isArray(v) ? v[i] : v));
    const maxLrs = perGroup(o.maxLr, 'maxLr');
    const div = checkPositive(W, 'divFactor', o.divFactor ?? 25), finalDiv = checkPositive(W, 'finalDivFactor', o.finalDivFactor ?? 1e4);
    if (lastEpoch === -1) {
      groups.forEach((g, i) => { g.initialLr = maxLrs[i]! / div; g.maxLr = maxLrs[i]; g.minLr = (g.initialLr as number) / finalDiv; });
    }
    super(W, optimizer, lastEpoch);
    if (o.totalSteps !== undefined) this.totalSteps = checkInt(W, 'totalSteps', o.totalSteps, 1);
    else if (o.epochs !== undefined && o.stepsPerEpoch !== undefined) {
      this.totalSteps = checkInt(W, 'epochs', o.epochs, 1) * checkInt(W, 'stepsPerEpoch', o.stepsPerEpoch, 1);
    } else throw new TypeError('OneCycleLR: give totalSteps, or epochs and stepsPerEpoch');
    const pct = checkNumber(W, 'pctStart', o.pctStart ?? 0.3);
    if (!(pct >= 0 && pct <= 1)) throw new RangeError(`OneCycleLR: pctStart must be in [0, 1], got ${pct}`);
    const T = this.totalSteps;
    this.phases = (o.threePhase ?? false) && checkBoolean(W, 'threePhase', o.threePhase)
      ? [{ end: pct * T - 1, lr: ['initialLr', 'maxLr'], mom: ['maxMomentum', 'baseMomentum'] },
        { end: 2 * pct * T - 2, lr: ['maxLr', 'initialLr'], mom: ['baseMomentum', 'maxMomentum'] },
        { end: T - 1, lr: ['initialLr', 'minLr'], mom: ['maxMomentum', 'maxMomentum'] }]
      : [{ end: pct * T - 1, lr: ['initialLr', 'maxLr'], mom: ['maxMomentum', 'baseMomentum'] },
        { end: T - 1, lr: ['maxLr', 'minLr'], mom: ['baseMomentum', 'maxMomentum'] }];
    const strategy = checkOneOf(W, 'annealStrategy', o.annealStrategy ?? 'cos', ['cos', 'linear']);
    this.anneal = strategy === 'cos'
      ? (s, e, p) => e + (s - e) / 2 * (Math.cos(Math.PI * p) + 1)
      : (s, e, p) => (e - s) * p + s;
    this.cycleMomentum = checkBoolean(W, 'cycleMomentum', o.cycleMomentum ?? true);
    this.useBeta1 = groups.length > 0 && 'betas' in groups[0]!;
    if (this.cycleMomentum) {
      if (!this.useBeta1 && !(groups.length > 0 && 'momentum' in groups[0]!)) {
        throw new TypeError('OneCycleLR: optimizer has neither momentum nor betas; use cycleMomentum: false');
      }
      const maxM = perGroup(o.maxMomentum ?? 0.95, 'maxMomentum'), baseM = perGroup(o.baseMomentum ?? 0.85, 'baseMomentum');
      if (lastEpoch === -1) groups.forEach((g, i) => { this.setMomentum(g, maxM[i]!); g.maxMomentum = maxM[i]; g.baseMomentum = baseM[i]; });
    }
    this.initialStep();
  }
  private setMomentum(g: Record<string, unknown>, m: number): void {
    if (this.useBeta1) g.betas = [m, (g.betas as number[])[1]!];
    else g.momentum = m;
  }
  protected getLr(): number[] {
    const t = this.lastEpoch;
    if (t > this.totalSteps) {
      throw new RangeError(`OneCycleLR: tried to step ${t} times; the specified number of total steps is ${this.totalSteps}`);
    }
    return (this.groups() as Array<Record<string, unknown>>).map((g) => {
      let start = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const ph = this.phases[i]!;
        if (t <= ph.end || i === this.phases.length - 1) {
          const pct = (t - start) / (ph.end - start);
          if (this.cycleMomentum) this.setMomentum(g, this.anneal(g[ph.mom[0]] as number, g[ph.mom[1]] as number, pct));
          return this.anneal(g[ph.lr[0]] as number, g[ph.lr[1]] as number, pct);
        }
        start = ph.end;
      }
      throw new Error('unreachable');
    });
  }
  /**
   * PyTorch's OneCycleLR has no _get_closed_form_lr: step(epoch) (and SequentialLR's step(0) at a
   * milestone) runs getLr() at that epoch, which sets momentum / beta1 along with lr.
   */
  protected override closedFormLr(): null {
    return null;
  }
  /**
   * Pure closed form: the same phase interpolation (OneCycle's get_lr does not depend on the current
   * lr); leaves the groups' momentum / betas as they were.
   */
  override lrAt(t: number): number[] {
    const saved = this.lastEpoch;
    const moms = this.groups().map((g) => structuredClone({ m: g.momentum, b: g.betas }));
    try {
      this.lastEpoch = t;
      return this.getLr();
    } finally {
      this.lastEpoch = saved;
      this.groups().forEach((g, i) => { if (moms[i]!.m !== undefined) g.momentum = moms[i]!.m; if (moms[i]!.b !== undefined) g.betas = moms[i]!.b; });
    }
  }
}

/** SequentialLR: runs schedulers[i] between milestones[i−1] and milestones[i]; each one restarts at 0. */
export class SequentialLR {
  readonly optimizer: AnyOptimizer;
  readonly schedulers: LRScheduler[];
  readonly milestones: number[];
  lastEpoch: number;
  private lastLr: number[];
  constructor(optimizer: AnyOptimizer, options: { schedulers: LRScheduler[]; milestones: number[]; lastEpoch?: number }) {
    const o = checkKeys('SequentialLR', options, ['schedulers', 'milestones', 'lastEpoch']);
    const s = o.schedulers as LRScheduler[], m = o.milestones as number[];
    if (!Array.isArray(s) || s.length < 1 || !s.every((x) => x instanceof LRScheduler)) throw new TypeError('SequentialLR: schedulers must be a non-empty array of schedulers');
    if (s.some((x) => x.optimizer !== optimizer)) throw new Error('SequentialLR: every scheduler must wrap the same optimizer as SequentialLR');
    if (!Array.isArray(m) || m.length !== s.length - 1) throw new RangeError(`SequentialLR: expected ${s.length - 1} milestones, got ${m?.length}`);
    this.optimizer = optimizer;
    this.schedulers = s;
    this.milestones = m.map((x, i) => checkInt('SequentialLR', `milestones[${i}]`, x, 0));
    this.lastEpoch = checkInt('SequentialLR', 'lastEpoch', o.lastEpoch ?? -1, -1) + 1;
    const groups = optimizer.paramGroups as unknown as Array<Record<string, unknown>>;
    for (const g of groups) g.lr = g.initialLr; // undo the children's initial steps (PyTorch 1.13)
    for (const x of s) x.lastEpoch -= 1;
    (s[0] as unknown as { initialStep(): void }).initialStep();
    this.lastLr = s[0]!.getLastLr();
  }
  step(): void {
    this.lastEpoch++;
    const idx = this.milestones.filter((m) => m <= this.lastEpoch).length;
    const s = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) s.step(0);
    else s.step();
    this.lastLr = s.getLastLr();
  }
  getLastLr(): number[] {
    return this.lastLr.slice();
  }
  stateDict(): { type: 'SequentialLR'; lastEpoch: number; lastLr: number[]; schedulers: unknown[] } {
    return { type: 'SequentialLR', lastEpoch: this.lastEpoch, lastLr: this.lastLr.slice(), schedulers: this.schedulers.map((s) => s.stateDict()) };
  }
  loadStateDict(sd: ReturnType<SequentialLR['stateDict']>): void {
    if (sd?.type !== 'SequentialLR' || !Array.isArray(sd.schedulers) || sd.schedulers.length !== this.schedulers.length) {
      throw new Error(`SequentialLR.loadStateDict: expected the state of a SequentialLR of ${this.schedulers.length} schedulers`);
    }
    const W = 'SequentialLR.loadStateDict';
    if (typeof sd.lastEpoch !== 'number' || !Number.isInteger(sd.lastEpoch) || sd.lastEpoch < -1) {
      throw new RangeError(`${W}: lastEpoch must be an integer >= -1, got ${String(sd.lastEpoch)}`);
    }
    if (!Array.isArray(sd.lastLr)) throw new TypeError(`${W}: lastLr must be an array`);
    sd.lastLr.forEach((v, i) => checkNonNegative(W, `lastLr[${i}]`, v));
    // All or nothing: a child that rejects its state puts back the children loaded before it.
    const before = this.schedulers.map((s) => s.stateDict());
    try {
      this.schedulers.forEach((s, i) => s.loadStateDict(sd.schedulers[i] as never));
    } catch (e) {
      this.schedulers.forEach((s, i) => s.loadStateDict(before[i] as never));
      throw e;
    }
    this.lastEpoch = sd.lastEpoch;
    this.lastLr = sd.lastLr.slice();
  }
}

// PyTorch-style learning-rate schedulers (torch.optim.lr_scheduler, 1.13) that wrap an optimizer and set
// its groups' lr: the base class and the schedules with one formula each. Contract: the constructor
// performs PyTorch's initial step (lastEpoch −1 → 0); step() applies the recursive ("chainable") form
// from the groups' current lr, as PyTorch; lrAt(t) is the pure closed form where one exists; the two
// agree to float64 round-off. Not here: the cyclic / composite schedulers (cyclic.ts), ReduceLROnPlateau.
import { Optimizer } from '../optim/optimizer';
import { checkInt, checkKeys, checkNonNegative, checkNumber, isSchedule } from '../optim/options';

type AnyOptimizer = Optimizer<object>;
type Group = Record<string, unknown> & { lr: unknown; initialLr?: number };

export interface SchedulerStateDict { type: string; lastEpoch: number; stepCount: number; baseLrs: number[]; lastLr: number[]; extra?: unknown }

export abstract class LRScheduler {
  readonly optimizer: AnyOptimizer;
  baseLrs: number[];
  lastEpoch: number;
  protected stepCount = 0;
  protected lastLr: number[] = [];

  protected constructor(readonly name: string, optimizer: unknown, lastEpoch: number) {
    if (!(optimizer instanceof Optimizer)) throw new TypeError(`${name}: optimizer must be an Optimizer`);
    checkInt(name, 'lastEpoch', lastEpoch, -1);
    this.optimizer = optimizer as AnyOptimizer;
    const groups = this.groups();
    groups.forEach((g, i) => {
      if (isSchedule(g.lr)) throw new TypeError(`${name}: paramGroups[${i}].lr is a schedule object; a scheduler needs a number`);
      if (lastEpoch === -1) g.initialLr ??= g.lr as number; // PyTorch: setdefault('initial_lr', lr)
      else if (typeof g.initialLr !== 'number') {
        throw new Error(`${name}: paramGroups[${i}].initialLr is not set, which resuming (lastEpoch ${lastEpoch}) needs`);
      }
    });
    this.baseLrs = groups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  protected groups(): Group[] {
    return this.optimizer.paramGroups as unknown as Group[];
  }

  /** PyTorch's _initial_step: called at the end of each subclass constructor. */
  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** The recursive form: next lr of each group from its current lr (PyTorch get_lr). */
  protected abstract getLr(): number[];

  /** The closed form at epoch t for each group, or null where PyTorch has none. */
  lrAt(t: number): number[] | null {
    void t;
    return null;
  }

  /**
   * What step(epoch) uses (PyTorch's _get_closed_form_lr): the closed form where PyTorch has one, else
   * null and step(epoch) runs getLr() at lastEpoch = epoch, with its side effects (OneCycleLR's momentum).
   */
  protected closedFormLr(epoch: number): number[] | null {
    return this.lrAt(epoch);
  }

  /** Advances one epoch (or sets `epoch`, using the closed form when there is one, as PyTorch). */
  step(epoch?: number): void {
    this.stepCount++;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch++;
      values = this.getLr();
    } else {
      checkNumber(this.name, 'epoch', epoch);
      this.lastEpoch = epoch;
      values = this.closedFormLr(epoch) ?? this.getLr();
    }
    this.groups().forEach((g, i) => { g.lr = values[i]!; });
    this.lastLr = values;
  }

  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  protected currentLrs(): number[] {
    return this.groups().map((g) => g.lr as number);
  }

  protected extraState(): unknown {
    return undefined;
  }

  /** Throws if `extra` is not a valid extraState() of this scheduler; runs before anything is loaded. */
  protected checkExtraState(extra: unknown): void {
    void extra;
  }

  protected loadExtraState(extra: unknown): void {
    void extra;
  }

  stateDict(): SchedulerStateDict {
    return structuredClone({ type: this.name, lastEpoch: this.lastEpoch, stepCount: this.stepCount, baseLrs: this.baseLrs,
      lastLr: this.lastLr, extra: this.extraState() });
  }

  loadStateDict(sd: SchedulerStateDict): void {
    const where = `${this.name}.loadStateDict`;
    if (typeof sd !== 'object' || sd === null || sd.type !== this.name) {
      throw new Error(`${where}: state of a ${String(sd?.type)} scheduler, this is ${this.name}`);
    }
    const n = this.groups().length;
    if (!Array.isArray(sd.baseLrs) || sd.baseLrs.length !== n || !Array.isArray(sd.lastLr) || sd.lastLr.length !== n) {
      throw new Error(`${where}: saved state is for ${sd.baseLrs?.length} parameter groups, the optimizer has ${n}`);
    }
    // Everything is checked before anything changes. lastEpoch may be fractional (step(epoch) takes one).
    if (typeof sd.lastEpoch !== 'number' || !Number.isFinite(sd.lastEpoch) || sd.lastEpoch < -1) {
      throw new RangeError(`${where}: lastEpoch must be a finite number >= -1, got ${String(sd.lastEpoch)}`);
    }
    checkInt(where, 'stepCount', sd.stepCount, 0);
    sd.baseLrs.forEach((v, i) => checkNonNegative(where, `baseLrs[${i}]`, v));
    sd.lastLr.forEach((v, i) => checkNonNegative(where, `lastLr[${i}]`, v));
    this.checkExtraState(sd.extra);
    this.lastEpoch = sd.lastEpoch;
    this.stepCount = sd.stepCount;
    this.baseLrs = sd.baseLrs.slice();
    this.lastLr = sd.lastLr.slice();
    this.loadExtraState(structuredClone(sd.extra));
  }
}

/** StepLR: lr = base·γ^⌊t/stepSize⌋; recursively, ×γ every stepSize epochs. Defaults γ 0.1. */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;
  constructor(optimizer: AnyOptimizer, options: { stepSize: number; gamma?: number; lastEpoch?: number }) {
    const o = checkKeys('StepLR', options, ['stepSize', 'gamma', 'lastEpoch']);
    super('StepLR', optimizer, (o.lastEpoch as number | undefined) ?? -1);
    this.stepSize = checkInt('StepLR', 'stepSize', o.stepSize, 1);
    this.gamma = checkNonNegative('StepLR', 'gamma', o.gamma ?? 0.1);
    this.initialStep();
  }
  protected getLr(): number[] {
    const lrs = this.currentLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
  override lrAt(t: number): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(t / this.stepSize));
  }
}

/** MultiStepLR: lr = base·γ^(number of milestones ≤ t); a repeated milestone counts twice. */
export class MultiStepLR extends LRScheduler {
  readonly milestones: number[];
  readonly gamma: number;
  constructor(optimizer: AnyOptimizer, options: { milestones: number[]; gamma?: number; lastEpoch?: number }) {
    const o = checkKeys('MultiStepLR', options, ['milestones', 'gamma', 'lastEpoch']);
    super('MultiStepLR', optimizer, (o.lastEpoch as number | undefined) ?? -1);
    if (!Array.isArray(o.milestones)) throw new TypeError('MultiStepLR: milestones must be an array of integers');
    this.milestones = (o.milestones as unknown[]).map((m, i) => checkInt('MultiStepLR', `milestones[${i}]`, m, 0)).sort((a, b) => a - b);
    this.gamma = checkNonNegative('MultiStepLR', 'gamma', o.gamma ?? 0.1);
    this.initialStep();
  }
  protected getLr(): number[] {
    const count = this.milestones.filter((m) => m === this.lastEpoch).length;
    return this.currentLrs().map((lr) => (count === 0 ? lr : lr * this.gamma ** count));
  }
  override lrAt(t: number): number[] {
    const passed = this.milestones.filter((m) => m <= t).length; // bisect_right
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }
}

/** ExponentialLR: lr = base·γ^t. */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;
  constructor(optimizer: AnyOptimizer, options: { gamma: number; lastEpoch?: number }) {
    const o = checkKeys('ExponentialLR', options, ['gamma', 'lastEpoch']);
    super('ExponentialLR', optimizer, (o.lastEpoch as number | undefined) ?? -1);
    this.gamma = checkNonNegative('ExponentialLR', 'gamma', o.gamma);
    this.initialStep();
  }
  protected getLr(): number[] {
    return this.lastEpoch === 0 ? this.currentLrs() : this.currentLrs().map((lr) => lr * this.gamma);
  }
  override lrAt(t: number): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** t);
  }
}

/**
 * CosineAnnealingLR: lr = η_min + (base − η_min)·(1 + cos(π·t/T_max))/2. Past T_max the recursive form
 * (PyTorch's) keeps following the cosine, rising back to base at 2·T_max, and so does this closed form.
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;
  constructor(optimizer: AnyOptimizer, options: { tMax: number; etaMin?: number; lastEpoch?: number }) {
    const o = checkKeys('CosineAnnealingLR', options, ['tMax', 'etaMin', 'lastEpoch']);
    super('CosineAnnealingLR', optimizer, (o.lastEpoch as number | undefined) ?? -1);
    this.tMax = checkInt('CosineAnnealingLR', 'tMax', o.tMax, 1);
    this.etaMin = checkNonNegative('CosineAnnealingLR', 'etaMin', o.etaMin ?? 0);
    this.initialStep();
  }
  protected getLr(): number[] {
    const t = this.lastEpoch, T = this.tMax, e = this.etaMin;
    if (t === 0) return this.currentLrs();
    if (this.stepCount === 1 && t > 0) return this.lrAt(t); // resumed with lastEpoch > 0
    if ((t - 1 - T) % (2 * T) === 0) {
      return this.currentLrs().map((lr, i) => lr + (this.baseLrs[i]! - e) * (1 - Math.cos(Math.PI / T)) / 2);
    }
    return this.currentLrs().map((lr) =>
      (1 + Math.cos(Math.PI * t / T)) / (1 + Math.cos(Math.PI * (t - 1) / T)) * (lr - e) + e);
  }
  override lrAt(t: number): number[] {
    return this.baseLrs.map((b) => this.etaMin + (b - this.etaMin) * (1 + Math.cos(Math.PI * t / this.tMax)) / 2);
  }
}

/** LinearLR: factor goes linearly from startFactor (1/3) to endFactor (1) over totalIters (5) epochs. */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;
  constructor(optimizer: AnyOptimizer, options: { startFactor?: number; endFactor?: number; totalIters?: number; lastEpoch?: number } = {}) {
    const o = checkKeys('LinearLR', options, ['startFactor', 'endFactor', 'totalIters', 'lastEpoch']);
    super('LinearLR', optimizer, (o.lastEpoch as number | undefined) ?? -1);
    this.startFactor = checkNumber('LinearLR', 'startFactor', o.startFactor ?? 1 / 3);
    this.endFactor = checkNumber('LinearLR', 'endFactor', o.endFactor ?? 1);
    if (!(this.startFactor > 0 && this.startFactor <= 1)) throw new RangeError(`LinearLR: startFactor must be in (0, 1], got ${this.startFactor}`);
    if (!(this.endFactor >= 0 && this.endFactor <= 1)) throw new RangeError(`LinearLR: endFactor must be in [0, 1], got ${this.endFactor}`);
    this.totalIters = checkInt('LinearLR', 'totalIters', o.totalIters ?? 5, 1);
    this.initialStep();
  }
  protected getLr(): number[] {
    const t = this.lastEpoch, s = this.startFactor, d = this.endFactor - s;
    if (t === 0) return this.currentLrs().map((lr) => lr * s);
    if (t > this.totalIters) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * (1 + d / (this.totalIters * s + (t - 1) * d)));
  }
  override lrAt(t: number): number[] {
    const f = this.startFactor + (this.endFactor - this.startFactor) * Math.min(this.totalIters, t) / this.totalIters;
    return this.baseLrs.map((b) => b * f);
  }
}

/** PolynomialLR: lr = base·(1 − min(t, totalIters)/totalIters)^power; defaults totalIters 5, power 1. */
export class PolynomialLR extends LRScheduler {
  readonly totalIters: number;
  readonly power: number;
  constructor(optimizer: AnyOptimizer, options: { totalIters?: number; power?: number; lastEpoch?: number } = {}) {
    const o = checkKeys('PolynomialLR', options, ['totalIters', 'power', 'lastEpoch']);
    super('PolynomialLR', optimizer, (o.lastEpoch as number | undefined) ?? -1);
    this.totalIters = checkInt('PolynomialLR', 'totalIters', o.totalIters ?? 5, 1);
    this.power = checkNonNegative('PolynomialLR', 'power', o.power ?? 1);
    this.initialStep();
  }
  protected getLr(): number[] {
    const t = this.lastEpoch, T = this.totalIters;
    if (t === 0 || t > T) return this.currentLrs();
    const f = ((1 - t / T) / (1 - (t - 1) / T)) ** this.power;
    return this.currentLrs().map((lr) => lr * f);
  }
  override lrAt(t: number): number[] {
    return this.baseLrs.map((b) => b * (1 - Math.min(this.totalIters, t) / this.totalIters) ** this.power);
  }
}

/** LambdaLR: lr = base·λ(t), one function for all groups or one per group (not saved in stateDict). */
export class LambdaLR extends LRScheduler {
  readonly lrLambdas: Array<(epoch: number) => number>;
  constructor(optimizer: AnyOptimizer, options: { lrLambda: ((e: number) => number) | Array<(e: number) => number>; lastEpoch?: number }) {
    const o = checkKeys('LambdaLR', options, ['lrLambda', 'lastEpoch']);
    super('LambdaLR', optimizer, (o.lastEpoch as number | undefined) ?? -1);
    const n = this.groups().length;
    const f = o.lrLambda;
    const list = Array.isArray(f) ? f : Array.from({ length: n }, () => f);
    if (list.length !== n || !list.every((x) => typeof x === 'function')) {
      throw new TypeError(`LambdaLR: lrLambda must be a function or ${n} functions (one per group)`);
    }
    this.lrLambdas = list as Array<(e: number) => number>;
    this.initialStep();
  }
  protected getLr(): number[] {
    return this.lrAt(this.lastEpoch);
  }
  override lrAt(t: number): number[] {
    return this.baseLrs.map((b, i) => b * this.lrLambdas[i]!(t));
  }
}

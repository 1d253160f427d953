// ReduceLROnPlateau (torch.optim.lr_scheduler.ReduceLROnPlateau, 1.13): multiplies each group's lr by
// `factor` when a metric has stopped improving for more than `patience` epochs, then waits `cooldown`.
// Contract: step(metric) once per epoch; PyTorch's rules for threshold modes, minLr and eps.
// Not here: a closed form (the lr depends on the metric history).
import { Optimizer } from '../optim/optimizer';
import { checkInt, checkKeys, checkNonNegative, checkNumber, checkOneOf } from '../optim/options';

export interface PlateauOptions {
  mode?: 'min' | 'max'; factor?: number; patience?: number; threshold?: number; thresholdMode?: 'rel' | 'abs';
  cooldown?: number; minLr?: number | number[]; eps?: number;
}

export class ReduceLROnPlateau {
  readonly optimizer: Optimizer<object>;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: Optimizer<object>, options: PlateauOptions = {}) {
    const W = 'ReduceLROnPlateau';
    if (!(optimizer instanceof Optimizer)) throw new TypeError(`${W}: optimizer must be an Optimizer`);
    const o = checkKeys(W, options, ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps']);
    this.optimizer = optimizer;
    this.mode = checkOneOf(W, 'mode', o.mode ?? 'min', ['min', 'max']);
    this.factor = checkNonNegative(W, 'factor', o.factor ?? 0.1);
    if (this.factor >= 1) throw new RangeError(`${W}: factor should be < 1.0, got ${this.factor}`);
    this.patience = checkInt(W, 'patience', o.patience ?? 10, 0);
    this.threshold = checkNonNegative(W, 'threshold', o.threshold ?? 1e-4);
    this.thresholdMode = checkOneOf(W, 'thresholdMode', o.thresholdMode ?? 'rel', ['rel', 'abs']);
    this.cooldown = checkInt(W, 'cooldown', o.cooldown ?? 0, 0);
    const n = optimizer.paramGroups.length, m = o.minLr ?? 0;
    if (Array.isArray(m) && m.length !== n) throw new RangeError(`${W}: expected ${n} minLr values, got ${m.length}`);
    this.minLrs = Array.from({ length: n }, (_, i) => checkNonNegative(W, 'minLr', Array.isArray(m) ? m[i] : m));
    this.eps = checkNonNegative(W, 'eps', o.eps ?? 1e-8);
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.lastLr = this.lrs();
  }

  private lrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr as number);
  }

  /** a improves on best: min/rel a < best·(1 − θ), min/abs a < best − θ, max/rel a > best·(1 + θ), max/abs a > best + θ. */
  isBetter(a: number, best: number): boolean {
    const t = this.threshold;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - t) : a < best - t;
    return this.thresholdMode === 'rel' ? a > best * (t + 1) : a > best + t;
  }

  /**
   * One epoch's metric: count bad epochs, reduce lr = max(lr·factor, minLr) when the drop exceeds eps.
   * A NaN metric is never better than the best (every comparison with NaN is false, as in PyTorch), so it
   * counts as a bad epoch and can trigger a reduction; best is unchanged. A non-number is a TypeError.
   */
  step(metric: number): void {
    if (typeof metric !== 'number') checkNumber('ReduceLROnPlateau.step', 'metric', metric);
    const current = metric;
    this.lastEpoch++;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else this.numBadEpochs++;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const old = g.lr as number, next = Math.max(old * this.factor, this.minLrs[i]!);
        if (old - next > this.eps) g.lr = next;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.lrs();
  }

  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  stateDict(): { type: 'ReduceLROnPlateau'; best: number; numBadEpochs: number; cooldownCounter: number; lastEpoch: number; lastLr: number[] } {
    return { type: 'ReduceLROnPlateau', best: this.best, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter,
      lastEpoch: this.lastEpoch, lastLr: this.lastLr.slice() };
  }

  loadStateDict(sd: ReturnType<ReduceLROnPlateau['stateDict']>): void {
    const W = 'ReduceLROnPlateau.loadStateDict';
    if (sd?.type !== 'ReduceLROnPlateau') throw new Error(`${W}: state of a ${String(sd?.type)} scheduler, this is ReduceLROnPlateau`);
    // Everything is checked before anything changes.
    const best = checkNumber(W, 'best', sd.best);
    const numBadEpochs = checkInt(W, 'numBadEpochs', sd.numBadEpochs, 0);
    const cooldownCounter = checkInt(W, 'cooldownCounter', sd.cooldownCounter, 0);
    const lastEpoch = checkInt(W, 'lastEpoch', sd.lastEpoch, 0);
    const n = this.optimizer.paramGroups.length;
    if (!Array.isArray(sd.lastLr) || sd.lastLr.length !== n) {
      throw new Error(`${W}: saved state is for ${String(sd.lastLr?.length)} parameter groups, the optimizer has ${n}`);
    }
    sd.lastLr.forEach((v, i) => checkNonNegative(W, `lastLr[${i}]`, v));
    this.best = best;
    this.numBadEpochs = numBadEpochs;
    this.cooldownCounter = cooldownCounter;
    this.lastEpoch = lastEpoch;
    this.lastLr = sd.lastLr.slice();
  }
}

// Keras-style learning-rate schedules (tf.keras.optimizers.schedules): pure functions of the optimizer's
// iteration count, usable as an optimizer's `lr`. Contract: lrAt(step) in float64 (Keras computes in the
// initial rate's dtype, float32 by default: values differ from Keras by float32 rounding);
// step()/getLastLr()/stateDict() keep a counter for use outside an optimizer. Not here: PyTorch schedulers.
import { checkBoolean, checkKeys, checkNonNegative, checkNumber, checkPositive } from '../optim/options';

export abstract class KerasSchedule {
  /** Steps taken with step(); getLastLr() is lrAt(this.iteration). */
  iteration = 0;
  protected constructor(readonly name: string) {}
  abstract lrAt(step: number): number;
  abstract getConfig(): Record<string, unknown>;
  step(): void { this.iteration++; }
  getLastLr(): number[] { return [this.lrAt(this.iteration)]; }
  stateDict(): { type: string; iteration: number; config: Record<string, unknown> } {
    return { type: this.name, iteration: this.iteration, config: this.getConfig() };
  }
  loadStateDict(sd: { type: string; iteration: number }): void {
    if (sd?.type !== this.name) throw new Error(`${this.name}.loadStateDict: state of a ${String(sd?.type)}, this is ${this.name}`);
    if (!Number.isSafeInteger(sd.iteration) || sd.iteration < 0) throw new Error(`${this.name}.loadStateDict: iteration must be an integer >= 0`);
    this.iteration = sd.iteration;
  }
}

/** The options ExponentialDecay and InverseTimeDecay share: p = step/decaySteps, floored when staircase. */
abstract class RateDecay extends KerasSchedule {
  readonly initialLearningRate: number; readonly decaySteps: number; readonly decayRate: number; readonly staircase: boolean;
  protected constructor(name: string, o: { initialLearningRate: number; decaySteps: number; decayRate: number; staircase?: boolean }) {
    super(name);
    const v = checkKeys(name, o, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase']);
    this.initialLearningRate = checkNonNegative(name, 'initialLearningRate', v.initialLearningRate);
    this.decaySteps = checkPositive(name, 'decaySteps', v.decaySteps);
    this.decayRate = checkNonNegative(name, 'decayRate', v.decayRate);
    this.staircase = checkBoolean(name, 'staircase', v.staircase ?? false);
  }
  protected progress(step: number): number {
    const p = step / this.decaySteps;
    return this.staircase ? Math.floor(p) : p;
  }
  getConfig() { return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase }; }
}

/** ExponentialDecay: initial·rate^(step/decaySteps), the exponent floored when staircase. */
export class ExponentialDecay extends RateDecay {
  constructor(o: { initialLearningRate: number; decaySteps: number; decayRate: number; staircase?: boolean }) {
    super('ExponentialDecay', o);
  }
  lrAt(step: number): number {
    return this.initialLearningRate * this.decayRate ** this.progress(step);
  }
}

/** PiecewiseConstantDecay: values[0] for step ≤ boundaries[0], values[i] for boundaries[i−1] < step ≤ boundaries[i], the last after. */
export class PiecewiseConstantDecay extends KerasSchedule {
  readonly boundaries: number[]; readonly values: number[];
  constructor(o: { boundaries: number[]; values: number[] }) {
    super('PiecewiseConstantDecay');
    const v = checkKeys(this.name, o, ['boundaries', 'values']);
    if (!Array.isArray(v.boundaries) || !Array.isArray(v.values) || v.values.length !== v.boundaries.length + 1) {
      throw new RangeError('PiecewiseConstantDecay: values must have one more element than boundaries');
    }
    this.boundaries = (v.boundaries as unknown[]).map((b, i) => checkNumber(this.name, `boundaries[${i}]`, b));
    this.values = (v.values as unknown[]).map((b, i) => checkNonNegative(this.name, `values[${i}]`, b));
    for (let i = 1; i < this.boundaries.length; i++) {
      if (!(this.boundaries[i]! > this.boundaries[i - 1]!)) throw new RangeError('PiecewiseConstantDecay: boundaries must increase');
    }
  }
  lrAt(step: number): number {
    const i = this.boundaries.findIndex((b) => step <= b);
    return this.values[i === -1 ? this.values.length - 1 : i]!;
  }
  getConfig() { return { boundaries: this.boundaries.slice(), values: this.values.slice() }; }
}

/** InverseTimeDecay: initial/(1 + rate·step/decaySteps), the ratio floored when staircase. */
export class InverseTimeDecay extends RateDecay {
  constructor(o: { initialLearningRate: number; decaySteps: number; decayRate: number; staircase?: boolean }) {
    super('InverseTimeDecay', o);
  }
  lrAt(step: number): number {
    return this.initialLearningRate / (1 + this.decayRate * this.progress(step));
  }
}

/**
 * PolynomialDecay: (initial − end)·(1 − s/D)^power + end with s = min(step, D); cycle: D grows to
 * decaySteps·⌈step/decaySteps⌉ (1 at step 0) and s = step.
 */
export class PolynomialDecay extends KerasSchedule {
  readonly initialLearningRate: number; readonly decaySteps: number; readonly endLearningRate: number; readonly power: number; readonly cycle: boolean;
  constructor(o: { initialLearningRate: number; decaySteps: number; endLearningRate?: number; power?: number; cycle?: boolean }) {
    super('PolynomialDecay');
    const v = checkKeys(this.name, o, ['initialLearningRate', 'decaySteps', 'endLearningRate', 'power', 'cycle']);
    this.initialLearningRate = checkNonNegative(this.name, 'initialLearningRate', v.initialLearningRate);
    this.decaySteps = checkPositive(this.name, 'decaySteps', v.decaySteps);
    this.endLearningRate = checkNonNegative(this.name, 'endLearningRate', v.endLearningRate ?? 1e-4);
    this.power = checkNonNegative(this.name, 'power', v.power ?? 1);
    this.cycle = checkBoolean(this.name, 'cycle', v.cycle ?? false);
  }
  lrAt(step: number): number {
    let d = this.decaySteps, s = step;
    if (this.cycle) d *= step === 0 ? 1 : Math.ceil(step / this.decaySteps);
    else s = Math.min(step, d);
    return (this.initialLearningRate - this.endLearningRate) * (1 - s / d) ** this.power + this.endLearningRate;
  }
  getConfig() { return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, endLearningRate: this.endLearningRate, power: this.power, cycle: this.cycle }; }
}

/**
 * CosineDecay (with Keras 2.13's linear warm-up): without warmupTarget, initial·((1 − α)·c + α),
 * c = ½(1 + cos(π·min(step, D)/D)); with it, a linear ramp initial → warmupTarget over warmupSteps, then
 * the same decay from warmupTarget over decaySteps.
 */
export class CosineDecay extends KerasSchedule {
  readonly initialLearningRate: number; readonly decaySteps: number; readonly alpha: number;
  readonly warmupTarget: number | null; readonly warmupSteps: number;
  constructor(o: { initialLearningRate: number; decaySteps: number; alpha?: number; warmupTarget?: number | null; warmupSteps?: number }) {
    super('CosineDecay');
    const v = checkKeys(this.name, o, ['initialLearningRate', 'decaySteps', 'alpha', 'warmupTarget', 'warmupSteps']);
    this.initialLearningRate = checkNonNegative(this.name, 'initialLearningRate', v.initialLearningRate);
    this.decaySteps = checkPositive(this.name, 'decaySteps', v.decaySteps);
    this.alpha = checkNonNegative(this.name, 'alpha', v.alpha ?? 0);
    this.warmupTarget = v.warmupTarget === undefined || v.warmupTarget === null ? null : checkNonNegative(this.name, 'warmupTarget', v.warmupTarget);
    this.warmupSteps = checkNonNegative(this.name, 'warmupSteps', v.warmupSteps ?? 0);
  }
  private decay(step: number, from: number): number {
    const c = 0.5 * (1 + Math.cos(Math.PI * step / this.decaySteps));
    return from * ((1 - this.alpha) * c + this.alpha);
  }
  lrAt(step: number): number {
    if (this.warmupTarget === null) return this.decay(Math.min(step, this.decaySteps), this.initialLearningRate);
    const s = Math.min(step, this.decaySteps + this.warmupSteps);
    if (s < this.warmupSteps) return (this.warmupTarget - this.initialLearningRate) * (s / this.warmupSteps) + this.initialLearningRate;
    return this.decay(s - this.warmupSteps, this.warmupTarget);
  }
  getConfig() { return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, alpha: this.alpha, warmupTarget: this.warmupTarget, warmupSteps: this.warmupSteps }; }
}

/** CosineDecayRestarts (SGDR): periods firstDecaySteps·tMul^i, each peak ×mMul, floor α·initial. */
export class CosineDecayRestarts extends KerasSchedule {
  readonly initialLearningRate: number; readonly firstDecaySteps: number; readonly tMul: number; readonly mMul: number; readonly alpha: number;
  constructor(o: { initialLearningRate: number; firstDecaySteps: number; tMul?: number; mMul?: number; alpha?: number }) {
    super('CosineDecayRestarts');
    const v = checkKeys(this.name, o, ['initialLearningRate', 'firstDecaySteps', 'tMul', 'mMul', 'alpha']);
    this.initialLearningRate = checkNonNegative(this.name, 'initialLearningRate', v.initialLearningRate);
    this.firstDecaySteps = checkPositive(this.name, 'firstDecaySteps', v.firstDecaySteps);
    this.tMul = checkPositive(this.name, 'tMul', v.tMul ?? 2);
    this.mMul = checkNonNegative(this.name, 'mMul', v.mMul ?? 1);
    this.alpha = checkNonNegative(this.name, 'alpha', v.alpha ?? 0);
  }
  lrAt(step: number): number {
    let frac = step / this.firstDecaySteps, i: number;
    if (this.tMul === 1) {
      i = Math.floor(frac);
      frac -= i;
    } else {
      i = Math.floor(Math.log(1 - frac * (1 - this.tMul)) / Math.log(this.tMul));
      const sumR = (1 - this.tMul ** i) / (1 - this.tMul);
      frac = (frac - sumR) / this.tMul ** i;
    }
    const cos = 0.5 * this.mMul ** i * (1 + Math.cos(Math.PI * frac));
    return this.initialLearningRate * ((1 - this.alpha) * cos + this.alpha);
  }
  getConfig() { return { initialLearningRate: this.initialLearningRate, firstDecaySteps: this.firstDecaySteps, tMul: this.tMul, mMul: this.mMul, alpha: this.alpha }; }
}

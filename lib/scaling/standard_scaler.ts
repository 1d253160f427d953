// StandardScaler: z = (x − mean)/std per column (sklearn.preprocessing.StandardScaler, population std,
// ddof = 0). fit, partialFit (batches merged with Chan et al.'s update), transform, inverseTransform,
// toJSON/fromJSON. Constant columns get scale 1 (sklearn's rule), so they map to 0, never NaN/Inf.
// Not here: sparse input, sample weights.
import { Scaler, type ScalerJSON } from './base';
import type { MatrixView, ScalerInput } from './io';
import { RunningMoments, isConstantFeature } from './stats';

export interface StandardScalerOptions {
  /** Subtract the mean (default true). */
  withMean?: boolean;
  /** Divide by the standard deviation (default true). */
  withStd?: boolean;
}

export function flag(where: string, name: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new TypeError(`${where}: ${name} must be a boolean, got ${typeof v}`);
  return v;
}

export class StandardScaler extends Scaler {
  readonly type: string = 'StandardScaler';
  readonly withMean: boolean;
  readonly withStd: boolean;
  /** Column means (sklearn mean_); null before fit. */
  mean: Float64Array | null = null;
  /** Column population variances (sklearn var_); null before fit. */
  var: Float64Array | null = null;
  /** Column scales: √var, or 1 for constant columns (sklearn scale_); null before fit. */
  scale: Float64Array | null = null;
  private moments: RunningMoments | null = null;

  constructor(options: StandardScalerOptions = {}) {
    super();
    this.withMean = flag('StandardScaler', 'withMean', options.withMean, true);
    this.withStd = flag('StandardScaler', 'withStd', options.withStd, true);
  }

  static fromJSON(json: ScalerJSON): StandardScaler {
    return new StandardScaler(json.options as StandardScalerOptions).loadJSON(json);
  }

  /** Adds the statistics of one more batch (streaming); the first call on an unfitted scaler fits. */
  partialFit(x: ScalerInput): this {
    return this.partialLearn(x, `${this.type}.partialFit`);
  }

  /** Built locally and kept only once add() succeeded: a rejected first batch leaves the scaler unfitted. */
  protected accumulate(m: MatrixView, where: string): void {
    const moments = this.moments ?? new RunningMoments(m.cols);
    moments.add(m, where);
    this.moments = moments;
    this.mean = moments.mean.slice();
    this.var = moments.variance();
  }

  protected computeParams(): [Float64Array, Float64Array] {
    const cols = this.mean!.length, n = this.nSamplesSeen;
    this.scale = this.var!.map((v, j) => (isConstantFeature(v, this.mean![j]!, n) ? 1 : Math.sqrt(v)));
    const shift = this.withMean ? this.mean!.slice() : new Float64Array(cols);
    const scale = this.withStd ? this.scale.map((s) => 1 / s) : new Float64Array(cols).fill(1);
    return [shift, scale];
  }

  protected clearState(): void {
    this.mean = this.var = this.scale = null;
    this.moments = null;
  }

  protected optionsJSON(): Record<string, unknown> {
    return { withMean: this.withMean, withStd: this.withStd };
  }

  protected stateJSON(): Record<string, unknown> {
    return { mean: Array.from(this.mean!), m2: Array.from(this.moments!.m2) };
  }

  protected loadState(s: Record<string, unknown>, n: number): void {
    this.moments = new RunningMoments(n);
    this.moments.mean = this.readColumns(s, 'mean', n);
    this.moments.m2 = this.readColumns(s, 'm2', n);
    this.moments.n = this.nSamplesSeen;
    this.mean = this.moments.mean.slice();
    this.var = this.moments.variance();
  }
}

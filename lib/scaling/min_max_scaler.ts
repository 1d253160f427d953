// MinMaxScaler: x' = (x − dataMin)/(dataMax − dataMin)·(max − min) + min per column, [min, max] =
// featureRange (sklearn.preprocessing.MinMaxScaler; attribute names in camelCase). partialFit merges
// running min/max. A constant column has range 1 (sklearn _handle_zeros_in_scale), so it maps to
// min + (x − c)·(max − min): no NaN/Inf. Not here: `clip` (values outside the fitted range pass through).
import { Scaler, type ScalerJSON } from './base';
import type { MatrixView, ScalerInput } from './io';
import { RunningRange, handleZerosInScale } from './stats';

export interface MinMaxScalerOptions {
  /** Target range [min, max] with min < max (default [0, 1]). */
  featureRange?: readonly [number, number];
}

function checkRange(v: unknown): [number, number] {
  if (v === undefined) return [0, 1];
  if (!Array.isArray(v) || v.length !== 2 || !v.every((e) => typeof e === 'number' && Number.isFinite(e))) {
    throw new TypeError(`MinMaxScaler: featureRange must be [min, max] with two finite numbers, got ${JSON.stringify(v)}`);
  }
  if (!(v[0] < v[1])) {
    throw new RangeError(`MinMaxScaler: featureRange minimum must be smaller than maximum, got [${v[0]}, ${v[1]}]`);
  }
  return [v[0], v[1]];
}

export class MinMaxScaler extends Scaler {
  readonly type = 'MinMaxScaler';
  readonly featureRange: readonly [number, number];
  /** Per-column minimum / maximum seen (sklearn data_min_, data_max_); null before fit. */
  dataMin: Float64Array | null = null;
  dataMax: Float64Array | null = null;
  /** dataMax − dataMin (sklearn data_range_). */
  dataRange: Float64Array | null = null;
  /** (max − min)/dataRange, constant columns with range 1 (sklearn scale_). */
  scale: Float64Array | null = null;
  /** min − dataMin·scale (sklearn min_): x' = x·scale + min. */
  min: Float64Array | null = null;
  private range: RunningRange | null = null;

  constructor(options: MinMaxScalerOptions = {}) {
    super();
    this.featureRange = Object.freeze(checkRange(options.featureRange)) as readonly [number, number];
  }

  static fromJSON(json: ScalerJSON): MinMaxScaler {
    return new MinMaxScaler(json.options as MinMaxScalerOptions).loadJSON(json);
  }

  /** Extends the running min/max with one more batch (streaming). */
  partialFit(x: ScalerInput): this {
    return this.partialLearn(x, 'MinMaxScaler.partialFit');
  }

  /** Built locally and kept only once add() succeeded: a rejected first batch leaves the scaler unfitted. */
  protected accumulate(m: MatrixView, where: string): void {
    const range = this.range ?? new RunningRange(m.cols);
    range.add(m, where);
    this.range = range;
  }

  /** transform = (x − shift)·scale with shift = dataMin − min/scale: exactly (x − dataMin)·scale for min = 0. */
  protected computeParams(): [Float64Array, Float64Array] {
    const [lo, hi] = this.featureRange, r = this.range!;
    this.dataMin = r.min.slice();
    this.dataMax = r.max.slice();
    this.dataRange = this.dataMax.map((v, j) => v - r.min[j]!);
    this.scale = this.dataRange.map((d) => (hi - lo) / handleZerosInScale(d));
    this.min = this.scale.map((s, j) => lo - r.min[j]! * s);
    const shift = this.scale.map((s, j) => r.min[j]! - lo / s);
    return [shift, this.scale.slice()];
  }

  protected clearState(): void {
    this.dataMin = this.dataMax = this.dataRange = this.scale = this.min = null;
    this.range = null;
  }

  protected optionsJSON(): Record<string, unknown> {
    return { featureRange: [...this.featureRange] };
  }

  protected stateJSON(): Record<string, unknown> {
    return { dataMin: Array.from(this.dataMin!), dataMax: Array.from(this.dataMax!) };
  }

  protected loadState(s: Record<string, unknown>, n: number): void {
    this.range = new RunningRange(n);
    this.range.min = this.readColumns(s, 'dataMin', n);
    this.range.max = this.readColumns(s, 'dataMax', n);
  }
}

// RobustScaler: x' = (x − median)/(Q(qMax) − Q(qMin)) per column (sklearn.preprocessing.RobustScaler,
// default interquartile range [25, 75], numpy's linear percentile interpolation), so outliers do not set
// the scale. There is no partialFit: exact quantiles need all the data at once (a streaming sketch
// would only approximate them), as in scikit-learn. Constant columns get scale 1. Fitting sorts each
// column in TypeScript (O(n log n) per column). Not here: unitVariance, NaN-ignoring fit.
import { Scaler, type ScalerJSON } from './base';
import { findNonFinite, type MatrixView } from './io';
import { flag } from './standard_scaler';
import { handleZerosInScale } from './stats';

export interface RobustScalerOptions {
  /** Subtract the median (default true). */
  withCentering?: boolean;
  /** Divide by the quantile range (default true). */
  withScaling?: boolean;
  /** Percentiles [qMin, qMax], 0 ≤ qMin ≤ qMax ≤ 100 (default [25, 75]). */
  quantileRange?: readonly [number, number];
}

function checkQuantiles(v: unknown): [number, number] {
  if (v === undefined) return [25, 75];
  if (!Array.isArray(v) || v.length !== 2 || !v.every((e) => typeof e === 'number' && Number.isFinite(e))) {
    throw new TypeError(`RobustScaler: quantileRange must be [qMin, qMax] with two finite numbers, got ${JSON.stringify(v)}`);
  }
  if (!(v[0] >= 0 && v[0] <= v[1] && v[1] <= 100)) {
    throw new RangeError(`RobustScaler: quantileRange must satisfy 0 <= qMin <= qMax <= 100, got [${v[0]}, ${v[1]}]`);
  }
  return [v[0], v[1]];
}

/**
 * The q-th percentile of sorted values, numpy's default 'linear' method: position p = q/100·(n − 1),
 * lerp between its neighbours written as numpy's _lerp (from the nearer end, for symmetry).
 */
export function percentile(sorted: Float64Array, q: number): number {
  const pos = (q / 100) * (sorted.length - 1), i = Math.floor(pos), t = pos - i;
  const a = sorted[i]!, b = sorted[Math.min(i + 1, sorted.length - 1)]!;
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

export class RobustScaler extends Scaler {
  readonly type = 'RobustScaler';
  readonly withCentering: boolean;
  readonly withScaling: boolean;
  readonly quantileRange: readonly [number, number];
  /** Column medians (sklearn center_); null before fit. */
  center: Float64Array | null = null;
  /** Column quantile ranges, constant columns 1 (sklearn scale_); null before fit. */
  scale: Float64Array | null = null;

  constructor(options: RobustScalerOptions = {}) {
    super();
    this.withCentering = flag('RobustScaler', 'withCentering', options.withCentering, true);
    this.withScaling = flag('RobustScaler', 'withScaling', options.withScaling, true);
    this.quantileRange = Object.freeze(checkQuantiles(options.quantileRange)) as readonly [number, number];
  }

  static fromJSON(json: ScalerJSON): RobustScaler {
    return new RobustScaler(json.options as RobustScalerOptions).loadJSON(json);
  }

  protected accumulate(m: MatrixView, where: string): void {
    const err = findNonFinite(where, m);
    if (err) throw err;
    const col = new Float64Array(m.rows);
    this.center = new Float64Array(m.cols);
    this.scale = new Float64Array(m.cols);
    const [qMin, qMax] = this.quantileRange;
    for (let j = 0; j < m.cols; j++) {
      for (let i = 0; i < m.rows; i++) col[i] = m.data[i * m.cols + j]!;
      col.sort();
      this.center[j] = percentile(col, 50);
      this.scale[j] = handleZerosInScale(percentile(col, qMax) - percentile(col, qMin));
    }
  }

  protected computeParams(): [Float64Array, Float64Array] {
    const cols = this.center!.length;
    const shift = this.withCentering ? this.center!.slice() : new Float64Array(cols);
    const scale = this.withScaling ? this.scale!.map((s) => 1 / s) : new Float64Array(cols).fill(1);
    return [shift, scale];
  }

  protected clearState(): void {
    this.center = this.scale = null;
  }

  protected optionsJSON(): Record<string, unknown> {
    return { withCentering: this.withCentering, withScaling: this.withScaling, quantileRange: [...this.quantileRange] };
  }

  protected stateJSON(): Record<string, unknown> {
    return { center: Array.from(this.center!), scale: Array.from(this.scale!) };
  }

  protected loadState(s: Record<string, unknown>, n: number): void {
    this.center = this.readColumns(s, 'center', n);
    this.scale = this.readColumns(s, 'scale', n);
  }
}

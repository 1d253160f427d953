// SigmoidScaler: y = 1/(1 + e^(−z)) per column, z = (x − mean)/std when `standardize` (default) or z = x,
// so every feature lands in (0, 1) while extreme values stay ordered. The inverse is the logit
// x = ln(y/(1 − y)), then z·std + mean. Saturation: in float32 the logistic rounds to exactly 1 for
// z ≳ 16.6 (and the native kernel flushes results below ~1e-38 to 0, i.e. z ≲ −87.3), so those values
// invert to ±Infinity; in float64 the limits are z ≈ 36.7 and −745. Not here: a learnable slope.
import type { Backend, FloatArray } from '../backend/backend';
import type { ScalerJSON } from './base';
import { StandardScaler, flag } from './standard_scaler';

export interface SigmoidScalerOptions {
  /** Z-score each column before the logistic function (default true). */
  standardize?: boolean;
}

export class SigmoidScaler extends StandardScaler {
  override readonly type: string = 'SigmoidScaler';
  readonly standardize: boolean;

  constructor(options: SigmoidScalerOptions = {}) {
    const standardize = flag('SigmoidScaler', 'standardize', options.standardize, true);
    super({ withMean: standardize, withStd: standardize });
    this.standardize = standardize;
  }

  static override fromJSON(json: ScalerJSON): SigmoidScaler {
    return new SigmoidScaler(json.options as SigmoidScalerOptions).loadJSON(json);
  }

  /** The logistic function in place, with the backend's sigmoid kernel (stable for both signs). */
  protected override afterAffine(be: Backend, n: number, out: FloatArray): void {
    be.activationForward('sigmoid', 0, n, out, out);
  }

  /** logit(y) = ln y − ln(1 − y) (log1p keeps y near 0 accurate); y = 0 → −∞, y = 1 → +∞, outside [0, 1] → NaN. */
  protected override beforeInverse(x: FloatArray, n: number, out: FloatArray): FloatArray {
    for (let i = 0; i < n; i++) {
      const y = x[i]!;
      out[i] = Math.log(y) - Math.log1p(-y);
    }
    return out;
  }

  protected override optionsJSON(): Record<string, unknown> {
    return { standardize: this.standardize };
  }
}

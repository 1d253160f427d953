// The scalers' public surface: the four classes, their option and JSON types, and scalerFromJSON, which
// restores any scaler from its toJSON() output (e.g. one saved beside a model). Re-exports only, plus
// the dispatch on `type`.
import type { ScalerJSON } from './base';
import { MinMaxScaler } from './min_max_scaler';
import { RobustScaler } from './robust_scaler';
import { SigmoidScaler } from './sigmoid_scaler';
import { StandardScaler } from './standard_scaler';

export { Scaler, type ScalerJSON } from './base';
export type { ScalerInput, ScalerOutput } from './io';
export { MinMaxScaler, type MinMaxScalerOptions } from './min_max_scaler';
export { RobustScaler, type RobustScalerOptions } from './robust_scaler';
export { SigmoidScaler, type SigmoidScalerOptions } from './sigmoid_scaler';
export { StandardScaler, type StandardScalerOptions } from './standard_scaler';

/** Restores a scaler of any kind from toJSON() output (TypeError for an unknown type). */
export function scalerFromJSON(json: ScalerJSON): MinMaxScaler | StandardScaler | SigmoidScaler | RobustScaler {
  switch (json?.type) {
    case 'MinMaxScaler': return MinMaxScaler.fromJSON(json);
    case 'StandardScaler': return StandardScaler.fromJSON(json);
    case 'SigmoidScaler': return SigmoidScaler.fromJSON(json);
    case 'RobustScaler': return RobustScaler.fromJSON(json);
    default:
      throw new TypeError(`scalerFromJSON: unknown scaler type ${JSON.stringify(json?.type)} ` +
        "(expected 'MinMaxScaler', 'StandardScaler', 'SigmoidScaler' or 'RobustScaler')");
  }
}

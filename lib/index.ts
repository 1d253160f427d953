// simdgrad's public API: re-exports only.
export type { Activation, Backend, FloatArray } from './backend/backend';
export { ACTIVATIONS } from './backend/backend';
export type { BackendInfo } from './backend/select';
export { backend, backendInfo, backends, getNumThreads, setBackend, setNumThreads } from './backend/select';
export { Rng } from './rng';
export { Tensor } from './tensor';
export {
  MinMaxScaler, RobustScaler, Scaler, SigmoidScaler, StandardScaler, scalerFromJSON,
  type MinMaxScalerOptions, type RobustScalerOptions, type ScalerInput, type ScalerJSON, type ScalerOutput,
  type SigmoidScalerOptions, type StandardScalerOptions,
} from './scaling/index';

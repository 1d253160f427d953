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
export { Parameter } from './optim/parameter';
export type { ParameterOptions } from './optim/parameter';
export { Optimizer } from './optim/optimizer';
export type { OptimizerStateDict, ParamGroup, ParamsArg } from './optim/optimizer';
export type { LearningRateSchedule, LrValue } from './optim/options';
export { SGD } from './optim/sgd';
export type { SgdOptions } from './optim/sgd';
export { Adam, AdamW } from './optim/adam';
export type { AdamOptions } from './optim/adam';
export { Adagrad, RMSprop } from './optim/adagrad_rmsprop';
export type { AdagradOptions, RmspropOptions } from './optim/adagrad_rmsprop';
export { clipGradNorm, clipGradValue } from './optim/clip';
export { Regularizer, regularizers } from './optim/regularizers';
export { LRScheduler, StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR, PolynomialLR, LambdaLR } from './schedules/lr_scheduler';
export type { SchedulerStateDict } from './schedules/lr_scheduler';
export { CosineAnnealingWarmRestarts, OneCycleLR, SequentialLR } from './schedules/cyclic';
export type { OneCycleOptions } from './schedules/cyclic';
export { ReduceLROnPlateau } from './schedules/plateau';
export type { PlateauOptions } from './schedules/plateau';
export {
  KerasSchedule, ExponentialDecay, PiecewiseConstantDecay, InverseTimeDecay, PolynomialDecay, CosineDecay, CosineDecayRestarts,
} from './schedules/keras';

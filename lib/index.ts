// simdgrad's public API: re-exports only.
export type { Activation as KernelActivation, Backend, FloatArray } from './backend/backend';
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
// Model API (issue 6): layers, initializers, losses, Sequential, gradCheck, training, callbacks, metrics, files.
export { Layer, type LayerContext, type LayerOptions } from './layers/layer';
export { Dense, type DenseOptions } from './layers/dense';
export { Activation, ReLU, LeakyReLU, ELU, GELU, Softmax, PReLU, RReLU, type ActivationOptions } from './layers/activation_layers';
export { Dropout, Flatten, BatchNorm, type BatchNormOptions } from './layers/core_layers';
export { ACTIVATION_NAMES, type ActivationName } from './layers/activations';
export { initializers, getInitializer, type Initializer, type InitializerArg } from './layers/initializers';
export { registerLayer, type LayerFactory, type LayerRecord } from './layers/registry';
export {
  Loss, MeanSquaredError, MeanAbsoluteError, Huber, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, getLoss, registerLoss,
} from './losses/losses';
export { Sequential, type SequentialOptions } from './model/sequential';
export { gradCheck, type GradCheckOptions, type GradCheckResult } from './model/grad_check';
export { confusionMatrix, classificationReport, registerMetric, type Metric, type ClassificationReport, type ClassScores } from './train/metrics';
export { Callback, History, EarlyStopping, TerminateOnNaN, CSVLogger, ModelCheckpoint, type Logs, type FitParams, type EarlyStoppingOptions, type ModelCheckpointOptions } from './train/callbacks';
export type { CompileOptions } from './train/compile';
export type { FitOptions } from './train/fit';
export { ProgressLogger } from './train/progress';
export { loadModel, type SaveOptions, type LoadedExtras, type LoadOptions } from './model/model_io';

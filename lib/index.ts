// simdgrad's public API: re-exports only.
export type { Activation, Backend, FloatArray } from './backend/backend';
export { ACTIVATIONS } from './backend/backend';
export type { BackendInfo } from './backend/select';
export { backend, backendInfo, backends, getNumThreads, setBackend, setNumThreads } from './backend/select';
export { Rng } from './rng';
export { Tensor } from './tensor';

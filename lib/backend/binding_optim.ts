// The addon's raw entry points for the optim kernel family (native/optim/binding_optim.cc). All four
// share one layout: lists of Float32Array, then a Float64Array [lr, wd, decay, b1, c1, b2, c2, eps,
// bc2Sqrt] (one reused array: ten double arguments would be boxed on every step) and the flags
// (native/optim/optim_kernels.h OptimHyper says what each means per family).
type F32List = Float32Array[];
type RawOptimStep = (params: F32List, grads: F32List, s0: F32List | null, s1: F32List | null, s2: F32List | null,
  hyper: Float64Array, flags: number) => void;

/** OptimHyper.flags bits (native/optim/optim_kernels.h). */
export const OPT_FLAGS = { momentum: 1, nesterov: 2, first: 4, amsgrad: 8, centered: 16 } as const;

export interface RawOptimBinding {
  sgdStep: RawOptimStep;
  adagradStep: RawOptimStep;
  rmspropStep: RawOptimStep;
  adamStep: RawOptimStep;
}

// The Backend interface's kernels for optimizer update steps (issue 5): one fused in-place update per
// family over a LIST of tensors (one call steps a whole parameter group). Same rules as backend.ts:
// synchronous, destination-passing, never allocates. Hyperparameters arrive folded by the optimizer
// (bias corrections, decayed lr); the formulas are in reference_optim.ts, the specification.
// Not here: step counting, option validation, schedules (lib/optim/).
import type { FloatArray } from './backend';

/** SGD, one step (torch.optim.SGD). `gradScale` is 1 − dampening ('pytorch' form) or 1 − μ ('ema'). */
export interface SgdHyper {
  lr: number; momentum: number; gradScale: number; weightDecay: number;
  nesterov: boolean;
  /** 'pytorch' form on the buffer's first step: buf ← g. */
  firstStep: boolean;
}
/** Adagrad, one step: `clr` = lr / (1 + (t − 1)·lrDecay). */
export interface AdagradHyper { clr: number; weightDecay: number; eps: number }
/** RMSprop, one step. */
export interface RmspropHyper {
  lr: number; alpha: number; eps: number; weightDecay: number; momentum: number; centered: boolean;
}
/**
 * Adam / AdamW, one step at step count t: stepSize = lr/(1 − β1^t), bc2Sqrt = √(1 − β2^t);
 * weightDecay is Adam's L2 term (0 for AdamW), decay is AdamW's θ multiplier 1 − lr·λ (1 for Adam).
 */
export interface AdamHyper {
  stepSize: number; beta1: number; beta2: number; eps: number; bc2Sqrt: number;
  weightDecay: number; decay: number; amsgrad: boolean;
}

export interface OptimKernels {
  /** SGD over tensors i: params[i], grads[i], momentumBufs[i] (null when momentum = 0), equal lengths. */
  sgdStep(params: FloatArray[], grads: FloatArray[], momentumBufs: FloatArray[] | null, h: SgdHyper): void;
  /** Adagrad: sums[i] is the running sum of squared gradients. */
  adagradStep(params: FloatArray[], grads: FloatArray[], sums: FloatArray[], h: AdagradHyper): void;
  /** RMSprop: gradAvgs only when centered, momentumBufs only when momentum > 0 (else null). */
  rmspropStep(params: FloatArray[], grads: FloatArray[], squareAvgs: FloatArray[],
    gradAvgs: FloatArray[] | null, momentumBufs: FloatArray[] | null, h: RmspropHyper): void;
  /** Adam / AdamW: expAvgs (m), expAvgSqs (v), maxExpAvgSqs only when amsgrad (else null). */
  adamStep(params: FloatArray[], grads: FloatArray[], expAvgs: FloatArray[], expAvgSqs: FloatArray[],
    maxExpAvgSqs: FloatArray[] | null, h: AdamHyper): void;
}

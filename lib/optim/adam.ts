// Adam (+AMSGrad) and AdamW (torch.optim.Adam, torch.optim.AdamW): one kernel, the weight decay either
// added to the gradient (Adam, L2) or applied to θ directly (AdamW, decoupled). Contract: PyTorch's
// options and defaults in camelCase. Not here: the kernel (lib/backend/reference_optim.ts).
import type { AdamHyper } from '../backend/kernels_optim';
import type { LrValue } from './options';
import { checkBoolean, checkLr, checkNonNegative, checkUnitInterval } from './options';
import { Optimizer, type GroupStep, type ParamsArg } from './optimizer';

export interface AdamOptions {
  lr: LrValue;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
}

const KNOWN = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad'] as const;

function validator(name: string) {
  return (o: AdamOptions): void => {
    checkLr(name, o.lr);
    if (!Array.isArray(o.betas) || o.betas.length !== 2) throw new TypeError(`${name}: betas must be [beta1, beta2]`);
    checkUnitInterval(name, 'betas[0]', o.betas[0]);
    checkUnitInterval(name, 'betas[1]', o.betas[1]);
    checkNonNegative(name, 'eps', o.eps);
    checkNonNegative(name, 'weightDecay', o.weightDecay);
    checkBoolean(name, 'amsgrad', o.amsgrad);
  };
}

type Opts = Omit<AdamOptions, 'lr'>;

abstract class AdamBase extends Optimizer<Opts> {
  protected readonly bufferNames = ['expAvg', 'expAvgSq', 'maxExpAvgSq'] as const;
  protected abstract readonly decoupled: boolean;
  protected readonly requiredBuffers = ['expAvg', 'expAvgSq'] as const;

  /** Reused by every step (no per-step garbage); the backend reads it during the call only. */
  private readonly hyper: AdamHyper = { stepSize: 0, beta1: 0, beta2: 0, eps: 0, bc2Sqrt: 0, weightDecay: 0, decay: 1, amsgrad: false };

  protected update(st: GroupStep<Opts>): void {
    const { be, group, lr, t } = st;
    const b1 = group.betas[0], b2 = group.betas[1], wd = group.weightDecay, h = this.hyper;
    const m = this.stateList(st, 'expAvg'), v = this.stateList(st, 'expAvgSq');
    const vmax = group.amsgrad ? this.stateList(st, 'maxExpAvgSq') : null;
    h.stepSize = lr / (1 - b1 ** t); h.beta1 = b1; h.beta2 = b2; h.eps = group.eps; h.bc2Sqrt = Math.sqrt(1 - b2 ** t);
    h.weightDecay = this.decoupled ? 0 : wd; h.decay = this.decoupled ? 1 - lr * wd : 1; h.amsgrad = group.amsgrad;
    be.adamStep(st.params, st.grads, m, v, vmax, h);
  }
}

/**
 * Adam (torch.optim.Adam, 1.13 documentation), per parameter at step t (from 1):
 *   g ← ∇θ + λ·θ                         (weightDecay λ: L2 in the gradient)
 *   m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²
 *   amsgrad: v̂max ← max(v̂max, v), v̂ = v̂max; else v̂ = v
 *   θ ← θ − (γ/(1 − β1^t))·m / (√v̂/√(1 − β2^t) + ε)
 * Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0, amsgrad false.
 */
export class Adam extends AdamBase {
  protected readonly decoupled = false;
  constructor(params: ParamsArg<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('Adam', params, options, KNOWN, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false },
      validator('Adam') as (o: unknown) => void);
  }
}

/**
 * AdamW (torch.optim.AdamW, 1.13 documentation): Adam with decoupled weight decay (Loshchilov & Hutter):
 *   θ ← θ − γ·λ·θ first, then Adam's update with g = ∇θ (no L2 term).
 * Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 1e-2, amsgrad false.
 */
export class AdamW extends AdamBase {
  protected readonly decoupled = true;
  constructor(params: ParamsArg<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('AdamW', params, options, KNOWN, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false },
      validator('AdamW') as (o: unknown) => void);
  }
}

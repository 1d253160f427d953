// SGD with momentum, dampening, Nesterov and weight decay (torch.optim.SGD), plus the tutorials'
// exponential-moving-average momentum form. Contract: PyTorch's options and defaults in camelCase;
// lr has no default (PyTorch 1.13: required). Not here: the kernel (lib/backend/reference_optim.ts).
import type { LrValue } from './options';
import { checkBoolean, checkLr, checkNonNegative, checkOneOf, checkUnitInterval } from './options';
import type { SgdHyper } from '../backend/kernels_optim';
import { Optimizer, type GroupStep, type ParamsArg } from './optimizer';

export interface SgdOptions {
  lr: LrValue;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  /** 'pytorch' (default): v ← μ·v + (1 − dampening)·g, first step v = g; 'ema': v ← μ·v + (1 − μ)·g. */
  momentumForm: 'pytorch' | 'ema';
}

const KNOWN = ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay', 'momentumForm'] as const;

function validate(o: SgdOptions): void {
  if (o.lr === undefined) throw new TypeError('SGD: option lr is required (PyTorch has no default for SGD)');
  checkLr('SGD', o.lr);
  checkNonNegative('SGD', 'momentum', o.momentum);
  checkNonNegative('SGD', 'dampening', o.dampening);
  checkNonNegative('SGD', 'weightDecay', o.weightDecay);
  checkBoolean('SGD', 'nesterov', o.nesterov);
  checkOneOf('SGD', 'momentumForm', o.momentumForm, ['pytorch', 'ema']);
  if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
    throw new RangeError(`SGD: nesterov requires momentum > 0 and dampening = 0, got momentum ${o.momentum}, dampening ${o.dampening}`);
  }
  if (o.momentumForm === 'ema') {
    checkUnitInterval('SGD', "momentum (β of momentumForm 'ema')", o.momentum);
    if (o.nesterov || o.dampening !== 0) throw new RangeError("SGD: momentumForm 'ema' takes neither nesterov nor dampening");
  }
}

/**
 * Stochastic gradient descent (torch.optim.SGD, 1.13 documentation), per parameter:
 *   g ← ∇θ + λ·θ                                 (weightDecay λ ≠ 0)
 *   'pytorch' form, μ ≠ 0:  b ← g on the first step, else b ← μ·b + (1 − τ)·g   (dampening τ)
 *                           g ← g + μ·b (nesterov) or g ← b
 *   θ ← θ − γ·g
 * 'ema' form (the tutorials' v ← β·v + (1 − β)·g, θ ← θ − γ·v, v starting at 0) is the 'pytorch' form
 * without dampening with γ scaled by (1 − β), at every step, under any lr schedule alike (by induction
 * v_ema = (1 − β)·v_pytorch). Where they differ: the first step moves by γ·(1 − β)·g instead of γ·g
 * (v_ema starts biased toward 0, like Adam's m without its correction); and a recipe's lr is not
 * interchangeable: porting PyTorch's lr γ to 'ema' needs γ/(1 − β). Both apply the CURRENT lr to the
 * whole velocity, so an lr change rescales past gradients' contribution at once (unlike the
 * Sutskever form v ← μ·v + γ·g, θ ← θ − v, where each gradient keeps the lr it was taken with).
 */
export class SGD extends Optimizer<Omit<SgdOptions, 'lr'>> {
  protected readonly bufferNames = ['momentumBuffer'] as const;
  /** None: a state without momentumBuffer takes the first-step branch (buffer ← g), as in PyTorch. */
  protected readonly requiredBuffers = [] as const;

  constructor(params: ParamsArg<SgdOptions>, options: Partial<SgdOptions> & { lr: LrValue }) {
    super('SGD', params, options, KNOWN, { lr: undefined as unknown as LrValue, momentum: 0, dampening: 0, nesterov: false,
      weightDecay: 0, momentumForm: 'pytorch' }, validate as (o: unknown) => void);
  }

  /** Reused by every step (no per-step garbage); the backend reads it during the call only. */
  private readonly hyper: SgdHyper = { lr: 0, momentum: 0, gradScale: 1, weightDecay: 0, nesterov: false, firstStep: false };

  protected update(st: GroupStep<Omit<SgdOptions, 'lr'>>): void {
    const { be, group, lr } = st, h = this.hyper;
    const mom = group.momentum !== 0, ema = group.momentumForm === 'ema';
    const first = mom && !ema && st.states[0]!.buffers.momentumBuffer === undefined;
    const bufs = mom ? this.stateList(st, 'momentumBuffer') : null;
    h.lr = lr; h.momentum = group.momentum; h.gradScale = ema ? 1 - group.momentum : 1 - group.dampening;
    h.weightDecay = group.weightDecay; h.nesterov = group.nesterov; h.firstStep = first;
    be.sgdStep(st.params, st.grads, bufs, h);
  }
}

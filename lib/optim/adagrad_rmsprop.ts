// Adagrad (torch.optim.Adagrad) and RMSprop (torch.optim.RMSprop): PyTorch's options and defaults in
// camelCase. Contract: as Optimizer. Not here: the kernels (lib/backend/reference_optim.ts).
import type { AdagradHyper, RmspropHyper } from '../backend/kernels_optim';
import type { LrValue } from './options';
import { checkBoolean, checkLr, checkNonNegative } from './options';
import { Optimizer, type GroupStep, type ParamsArg } from './optimizer';

export interface AdagradOptions {
  lr: LrValue; lrDecay: number; weightDecay: number; initialAccumulatorValue: number; eps: number;
}

function validateAdagrad(o: AdagradOptions): void {
  checkLr('Adagrad', o.lr);
  for (const k of ['lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps'] as const) checkNonNegative('Adagrad', k, o[k]);
}

/**
 * Adagrad (torch.optim.Adagrad, 1.13 documentation), per parameter at step t (from 1):
 *   γ̃ ← γ/(1 + (t − 1)·η)           (lrDecay η)
 *   g ← ∇θ + λ·θ;   s ← s + g²       (s starts at initialAccumulatorValue)
 *   θ ← θ − γ̃·g/(√s + ε)
 * Defaults: lr 1e-2, lrDecay 0, weightDecay 0, initialAccumulatorValue 0, eps 1e-10.
 */
export class Adagrad extends Optimizer<Omit<AdagradOptions, 'lr'>> {
  protected readonly bufferNames = ['sum'] as const;
  protected readonly requiredBuffers = ['sum'] as const;
  constructor(params: ParamsArg<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super('Adagrad', params, options, ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps'],
      { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 }, validateAdagrad as (o: unknown) => void);
  }

  /** Reused by every step (no per-step garbage); the backend reads it during the call only. */
  private readonly hyper: AdagradHyper = { clr: 0, weightDecay: 0, eps: 0 };

  protected update(st: GroupStep<Omit<AdagradOptions, 'lr'>>): void {
    const { group } = st, h = this.hyper;
    const sums = this.stateList(st, 'sum', group.initialAccumulatorValue);
    h.clr = st.lr / (1 + (st.t - 1) * group.lrDecay); h.weightDecay = group.weightDecay; h.eps = group.eps;
    st.be.adagradStep(st.params, st.grads, sums, h);
  }
}

export interface RmspropOptions {
  lr: LrValue; alpha: number; eps: number; weightDecay: number; momentum: number; centered: boolean;
}

function validateRmsprop(o: RmspropOptions): void {
  checkLr('RMSprop', o.lr);
  for (const k of ['alpha', 'eps', 'weightDecay', 'momentum'] as const) checkNonNegative('RMSprop', k, o[k]);
  checkBoolean('RMSprop', 'centered', o.centered);
}

/**
 * RMSprop (torch.optim.RMSprop, 1.13 documentation), per parameter:
 *   g ← ∇θ + λ·θ;   v ← α·v + (1 − α)·g²
 *   centered: ḡ ← α·ḡ + (1 − α)·g,  ṽ = v − ḡ²;  else ṽ = v
 *   μ > 0: b ← μ·b + g/(√ṽ + ε),  θ ← θ − γ·b;   else θ ← θ − γ·g/(√ṽ + ε)
 * Defaults: lr 1e-2, alpha 0.99, eps 1e-8, weightDecay 0, momentum 0, centered false.
 */
export class RMSprop extends Optimizer<Omit<RmspropOptions, 'lr'>> {
  protected readonly bufferNames = ['squareAvg', 'gradAvg', 'momentumBuffer'] as const;
  protected readonly requiredBuffers = ['squareAvg'] as const;
  constructor(params: ParamsArg<RmspropOptions>, options: Partial<RmspropOptions> = {}) {
    super('RMSprop', params, options, ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered'],
      { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false }, validateRmsprop as (o: unknown) => void);
  }

  /** Reused by every step (no per-step garbage); the backend reads it during the call only. */
  private readonly hyper: RmspropHyper = { lr: 0, alpha: 0, eps: 0, weightDecay: 0, momentum: 0, centered: false };

  protected update(st: GroupStep<Omit<RmspropOptions, 'lr'>>): void {
    const { group } = st, h = this.hyper;
    const sq = this.stateList(st, 'squareAvg');
    const ga = group.centered ? this.stateList(st, 'gradAvg') : null;
    const mb = group.momentum > 0 ? this.stateList(st, 'momentumBuffer') : null;
    h.lr = st.lr; h.alpha = group.alpha; h.eps = group.eps; h.weightDecay = group.weightDecay;
    h.momentum = group.momentum; h.centered = group.centered;
    st.be.rmspropStep(st.params, st.grads, sq, ga, mb, h);
  }
}

// Gradient clipping over a list of Parameters (torch.nn.utils.clip_grad_norm_ / clip_grad_value_).
// Contract: only trainable parameters are read and changed; norms are accumulated in float64.
// Not here: per-layer or adaptive clipping.
import { checkNonNegative, checkNumber } from './options';
import { Parameter } from './parameter';

function trainable(where: string, params: unknown): Parameter[] {
  if (!Array.isArray(params) || !params.every((p) => p instanceof Parameter)) {
    throw new TypeError(`${where}: params must be an array of Parameter`);
  }
  return params.filter((p: Parameter) => p.trainable);
}

/**
 * Scales all gradients together so that their total norm is at most maxNorm; returns the total norm
 * before clipping. torch.nn.utils.clip_grad_norm_ (1.13): total = ‖(‖g₁‖, …, ‖gₖ‖)‖ (p-norm of the
 * per-tensor p-norms; normType 2 or Infinity), coef = min(1, maxNorm/(total + 1e-6)), g ← coef·g.
 * A NaN total makes every gradient NaN, an infinite one scales them by 0 (PyTorch's errorIfNonfinite=false).
 */
export function clipGradNorm(params: Parameter[], maxNorm: number, normType = 2): number {
  const ps = trainable('clipGradNorm', params);
  checkNonNegative('clipGradNorm', 'maxNorm', maxNorm);
  checkNumber('clipGradNorm', 'normType', normType);
  if (normType !== 2 && normType !== Infinity) throw new RangeError(`clipGradNorm: normType must be 2 or Infinity, got ${normType}`);
  let total = 0;
  for (const p of ps) {
    const g = p.grad.data;
    if (normType === Infinity) {
      for (let i = 0; i < g.length; i++) {
        const a = Math.abs(g[i]!);
        if (Number.isNaN(a)) total = NaN;
        else if (a > total) total = a; // false once total is NaN: NaN sticks, as torch.max
      }
    } else {
      let s = 0;
      for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
      total += s;
    }
  }
  if (normType === 2) total = Math.sqrt(total);
  const c = Math.min(maxNorm / (total + 1e-6), 1); // NaN total → NaN (Math.min propagates NaN)
  if (c !== 1) for (const p of ps) { const g = p.grad.data; for (let i = 0; i < g.length; i++) g[i] = g[i]! * c; }
  return total;
}

/** Clamps every gradient element to [−clipValue, clipValue] (torch.nn.utils.clip_grad_value_; NaN stays NaN). */
export function clipGradValue(params: Parameter[], clipValue: number): void {
  const ps = trainable('clipGradValue', params);
  const v = checkNonNegative('clipGradValue', 'clipValue', clipValue);
  for (const p of ps) {
    const g = p.grad.data;
    for (let i = 0; i < g.length; i++) {
      const x = g[i]!;
      if (x > v) g[i] = v;
      else if (x < -v) g[i] = -v;
    }
  }
}

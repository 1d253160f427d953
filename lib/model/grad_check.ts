// gradCheck: runs the model's own layer code in float64 on the reference backend and compares the
// analytic gradient of every parameter with central differences (f(θ+h) − f(θ−h))/2h, reporting the
// max relative error |a − n| / max(|a|, |n|, 1e-6) per trainable parameter tensor. Dropout and RReLU are checked in
// training mode with a fixed mask (drawn once, then reused). Not here: choosing inputs away from
// activation kinks (the caller's x), float32 checks.
import { getLoss, type Loss } from '../losses/losses';
import { layerFromConfig, layerToConfig } from '../layers/registry';
import { checkKeys } from '../optim/options';
import { toInputs, toTargets } from '../train/data';
import { Sequential } from './sequential';

export interface GradCheckResult {
  /** The largest relative error over all parameters. */
  maxRelError: number;
  perParameter: Array<{ name: string; maxRelError: number; checked: number }>;
}

export interface GradCheckOptions {
  /** Finite-difference step (default 1e-4: float64 rounding noise ~1e-16/h must stay below 1e-6 of small gradients). */
  h?: number;
  /** Elements checked per parameter tensor, spread evenly (default all, up to 200). */
  maxPerTensor?: number;
}

/** A float64 copy of `model` (same layers, configs, weights and running statistics). */
export function toFloat64(model: Sequential): Sequential {
  const layers = model.layers.map((l, i) => layerFromConfig(layerToConfig(l), i === 0));
  const copy = new Sequential(layers, { dtype: 'float64', seed: model.seed, name: model.name });
  copy.setWeights(model.getWeights().map((w) => w.astype('float64')));
  return copy;
}

export function gradCheck(model: Sequential, loss: Loss | string, x: unknown, y: unknown, options: GradCheckOptions = {}): GradCheckResult {
  checkKeys('gradCheck', options, ['h', 'maxPerTensor']);
  const h = options.h ?? 1e-4, maxPer = options.maxPerTensor ?? 200;
  const m = toFloat64(model);
  const lossFn = getLoss('gradCheck', loss);
  const xs = toInputs('gradCheck', x, m.inputShape, 'float64');
  const ys = toTargets('gradCheck', y, lossFn, m.outputShape, xs.n, 'float64');
  const n = xs.n;
  // Draw the noise masks once, then freeze them so every evaluation sees the same function.
  m.forward(xs.data, n, true);
  for (const l of m.layers) if ('reuseNoise' in l) (l as { reuseNoise: boolean }).reuseNoise = true;
  const params = m.parameters().filter((p) => p.trainable);
  const evaluate = (): number => {
    for (const p of params) p.grad.data.fill(0);
    return m.lossAndGradients(xs.data, ys, null, n, lossFn).loss;
  };
  evaluate();
  const analytic = params.map((p) => p.grad.data.slice());
  const perParameter = params.map((p, pi) => {
    const v = p.value.data, stride = Math.max(1, Math.ceil(v.length / maxPer));
    let worst = 0, checked = 0;
    for (let i = 0; i < v.length; i += stride) {
      const orig = v[i]!;
      v[i] = orig + h;
      const fp = evaluate();
      v[i] = orig - h;
      const fm = evaluate();
      v[i] = orig;
      const num = (fp - fm) / (2 * h), a = analytic[pi]![i]!;
      const err = Math.abs(a - num) / Math.max(Math.abs(a), Math.abs(num), 1e-6);
      if (!(err <= worst)) worst = err; // NaN wins
      checked++;
    }
    return { name: `${m.layers.find((l) => l.parameters().includes(p))?.name ?? '?'}/${p.name}`, maxRelError: worst, checked };
  });
  return { maxRelError: perParameter.reduce((a, r) => (r.maxRelError > a || Number.isNaN(r.maxRelError) ? r.maxRelError : a), 0), perParameter };
}

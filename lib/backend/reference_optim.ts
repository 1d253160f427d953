// Reference optimizer updates: the SPECIFICATION of the optim kernels (plain loops, float64 arithmetic,
// one rounding per stored value, generic over Float32Array and Float64Array). Each formula is
// torch.optim 1.13's single-tensor update (torch/optim/<name>.py, _single_tensor_<name>), term by term.
// Contract: arguments already validated (check_optim.ts); state lists a step does not use may be null.
// Not here: step counting and bias corrections (folded by lib/optim into the hyperparameters), flushing.
import type { FloatArray } from './backend';
import type { AdagradHyper, AdamHyper, RmspropHyper, SgdHyper } from './kernels_optim';

/**
 * SGD (torch/optim/sgd.py): g ← g + λ·θ (λ ≠ 0); with momentum μ ≠ 0:
 *   buf ← g on the first step ('pytorch' form), else buf ← μ·buf + s·g  (s = 1 − dampening, or 1 − μ
 *   for the 'ema' form, whose buffer starts at 0 and never takes the first-step branch);
 *   g ← g + μ·buf (nesterov) or g ← buf;
 * θ ← θ − lr·g.
 */
export function sgdStep(params: FloatArray[], grads: FloatArray[], bufs: FloatArray[] | null, h: SgdHyper): void {
  for (let t = 0; t < params.length; t++) {
    const p = params[t]!, g = grads[t]!, b = bufs === null ? null : bufs[t]!;
    for (let i = 0; i < p.length; i++) {
      const th = p[i]!;
      let gr = g[i]!;
      if (h.weightDecay !== 0) gr += h.weightDecay * th;
      if (h.momentum !== 0 && b !== null) {
        const v = h.firstStep ? gr : h.momentum * b[i]! + h.gradScale * gr;
        b[i] = v;
        gr = h.nesterov ? gr + h.momentum * v : v;
      }
      p[i] = th - h.lr * gr;
    }
  }
}

/**
 * Adagrad (torch/optim/adagrad.py): g ← g + λ·θ; sum ← sum + g²; θ ← θ − clr·g/(√sum + ε),
 * clr = lr/(1 + (t − 1)·lrDecay).
 */
export function adagradStep(params: FloatArray[], grads: FloatArray[], sums: FloatArray[], h: AdagradHyper): void {
  for (let t = 0; t < params.length; t++) {
    const p = params[t]!, g = grads[t]!, s = sums[t]!;
    for (let i = 0; i < p.length; i++) {
      const th = p[i]!;
      let gr = g[i]!;
      if (h.weightDecay !== 0) gr += h.weightDecay * th;
      const sum = s[i]! + gr * gr;
      s[i] = sum;
      p[i] = th - h.clr * gr / (Math.sqrt(sum) + h.eps);
    }
  }
}

/**
 * RMSprop (torch/optim/rmsprop.py): g ← g + λ·θ; v ← α·v + (1 − α)·g²;
 *   centered: ḡ ← α·ḡ + (1 − α)·g, avg = √(v − ḡ²) + ε; otherwise avg = √v + ε;
 *   momentum μ > 0: buf ← μ·buf + g/avg, θ ← θ − lr·buf; otherwise θ ← θ − lr·g/avg.
 */
export function rmspropStep(params: FloatArray[], grads: FloatArray[], squareAvgs: FloatArray[],
  gradAvgs: FloatArray[] | null, bufs: FloatArray[] | null, h: RmspropHyper): void {
  const c = 1 - h.alpha;
  for (let t = 0; t < params.length; t++) {
    const p = params[t]!, g = grads[t]!, sq = squareAvgs[t]!;
    const ga = h.centered && gradAvgs !== null ? gradAvgs[t]! : null;
    const b = h.momentum > 0 && bufs !== null ? bufs[t]! : null;
    for (let i = 0; i < p.length; i++) {
      const th = p[i]!;
      let gr = g[i]!;
      if (h.weightDecay !== 0) gr += h.weightDecay * th;
      let v = h.alpha * sq[i]! + c * gr * gr;
      sq[i] = v;
      if (ga !== null) {
        const m = h.alpha * ga[i]! + c * gr;
        ga[i] = m;
        v -= m * m;
      }
      let step = gr / (Math.sqrt(v) + h.eps);
      if (b !== null) {
        step = h.momentum * b[i]! + step;
        b[i] = step;
      }
      p[i] = th - h.lr * step;
    }
  }
}

/**
 * Adam / AdamW (torch/optim/adam.py, adamw.py) at step t:
 *   AdamW: θ ← θ·(1 − lr·λ) (h.decay);  Adam: g ← g + λ·θ (h.weightDecay);
 *   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;
 *   amsgrad: v̂ ← max(v̂, v) written `v̂ > v ? v̂ : v` (NaN in v propagates, as torch.maximum), else v̂ = v;
 *   θ ← θ − (lr/(1 − β1^t))·m / (√v̂/√(1 − β2^t) + ε)   (stepSize and bc2Sqrt in h).
 */
export function adamStep(params: FloatArray[], grads: FloatArray[], expAvgs: FloatArray[], expAvgSqs: FloatArray[],
  maxExpAvgSqs: FloatArray[] | null, h: AdamHyper): void {
  const c1 = 1 - h.beta1, c2 = 1 - h.beta2;
  for (let t = 0; t < params.length; t++) {
    const p = params[t]!, g = grads[t]!, ms = expAvgs[t]!, vs = expAvgSqs[t]!;
    const vmax = h.amsgrad && maxExpAvgSqs !== null ? maxExpAvgSqs[t]! : null;
    for (let i = 0; i < p.length; i++) {
      let th = p[i]!;
      let gr = g[i]!;
      if (h.weightDecay !== 0) gr += h.weightDecay * th;
      th *= h.decay;
      const m = h.beta1 * ms[i]! + c1 * gr;
      let v = h.beta2 * vs[i]! + c2 * gr * gr;
      ms[i] = m;
      vs[i] = v;
      if (vmax !== null) {
        const old = vmax[i]!;
        v = old > v ? old : v;
        vmax[i] = v;
      }
      p[i] = th - h.stepSize * m / (Math.sqrt(v) / h.bc2Sqrt + h.eps);
    }
  }
}

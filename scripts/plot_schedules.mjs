// Regenerates docs/schedules.svg: the learning rate of every schedule over 100 steps (base lr 0.1), one
// small panel per schedule, computed by simdgrad itself (build first: npm run build).
// Usage: node scripts/plot_schedules.mjs   (writes docs/schedules.svg; no dependencies beyond the package)
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sg from 'simdgrad';

const STEPS = 100, BASE = 0.1;

/** lr after 0..STEPS scheduler steps of a fresh SGD(lr 0.1, momentum 0.9). */
function torchCurve(make, metric) {
  const p = new sg.Parameter(sg.Tensor.zeros([1]));
  const opt = new sg.SGD([p], { lr: BASE, momentum: 0.9 });
  const s = make(opt);
  const out = [opt.paramGroups[0].lr];
  for (let t = 0; t < STEPS; t++) {
    s.step(metric ? metric(t) : undefined);
    out.push(opt.paramGroups[0].lr);
  }
  return out;
}
const kerasCurve = (s) => Array.from({ length: STEPS + 1 }, (_, t) => s.lrAt(t));

const PANELS = [
  ['StepLR(stepSize 20, γ 0.5)', torchCurve((o) => new sg.StepLR(o, { stepSize: 20, gamma: 0.5 }))],
  ['MultiStepLR([30, 60, 80], γ 0.3)', torchCurve((o) => new sg.MultiStepLR(o, { milestones: [30, 60, 80], gamma: 0.3 }))],
  ['ExponentialLR(γ 0.97)', torchCurve((o) => new sg.ExponentialLR(o, { gamma: 0.97 }))],
  ['CosineAnnealingLR(T_max 40)', torchCurve((o) => new sg.CosineAnnealingLR(o, { tMax: 40 }))],
  ['CosineAnnealingWarmRestarts(T₀ 10, ×2)', torchCurve((o) => new sg.CosineAnnealingWarmRestarts(o, { t0: 10, tMult: 2 }))],
  ['LinearLR(1/3 → 1 over 25)', torchCurve((o) => new sg.LinearLR(o, { totalIters: 25 }))],
  ['SequentialLR(Linear 10 → Exponential)', torchCurve((o) => new sg.SequentialLR(o, {
    schedulers: [new sg.LinearLR(o, { startFactor: 0.1, totalIters: 10 }), new sg.ExponentialLR(o, { gamma: 0.96 })], milestones: [10] }))],
  ['OneCycleLR(maxLr 0.1, 100 steps)', torchCurve((o) => new sg.OneCycleLR(o, { maxLr: BASE, totalSteps: STEPS }))],
  ['PolynomialLR(totalIters 80, power 2)', torchCurve((o) => new sg.PolynomialLR(o, { totalIters: 80, power: 2 }))],
  ['LambdaLR(1/(1 + 0.05·t))', torchCurve((o) => new sg.LambdaLR(o, { lrLambda: (t) => 1 / (1 + 0.05 * t) }))],
  ['ReduceLROnPlateau(patience 5), stalling loss', torchCurve((o) => new sg.ReduceLROnPlateau(o, { patience: 5, factor: 0.5 }),
    (t) => Math.max(1 / (1 + t), 1 / 21) + 1e-3 * Math.sin(t))],
  ['ExponentialDecay(20, 0.5, staircase)', kerasCurve(new sg.ExponentialDecay({ initialLearningRate: BASE, decaySteps: 20, decayRate: 0.5, staircase: true }))],
  ['PiecewiseConstantDecay([25, 50, 75])', kerasCurve(new sg.PiecewiseConstantDecay({ boundaries: [25, 50, 75], values: [0.1, 0.05, 0.02, 0.005] }))],
  ['InverseTimeDecay(10, 0.5)', kerasCurve(new sg.InverseTimeDecay({ initialLearningRate: BASE, decaySteps: 10, decayRate: 0.5 }))],
  ['PolynomialDecay(30, cycle)', kerasCurve(new sg.PolynomialDecay({ initialLearningRate: BASE, decaySteps: 30, endLearningRate: 0.01, cycle: true }))],
  ['CosineDecay(80, warm-up 20 from 0)', kerasCurve(new sg.CosineDecay({ initialLearningRate: 0, decaySteps: 80, warmupTarget: BASE, warmupSteps: 20 }))],
  ['CosineDecayRestarts(15, tMul 2, mMul 0.7)', kerasCurve(new sg.CosineDecayRestarts({ initialLearningRate: BASE, firstDecaySteps: 15, tMul: 2, mMul: 0.7 }))],
];

const COLS = 3, PW = 330, PH = 150, PAD = { l: 46, r: 12, t: 30, b: 26 };
const rows = Math.ceil(PANELS.length / COLS);
const W = COLS * PW, H = rows * PH + 40;
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
  `<rect width="${W}" height="${H}" fill="white"/>`,
  `<text x="${W / 2}" y="24" text-anchor="middle" font-size="15">simdgrad learning-rate schedules: lr over 100 steps (base lr 0.1; red: PyTorch schedulers, blue: Keras schedules)</text>`];
PANELS.forEach(([title, ys], i) => {
  const x0 = (i % COLS) * PW, y0 = 40 + Math.floor(i / COLS) * PH;
  const w = PW - PAD.l - PAD.r, h = PH - PAD.t - PAD.b, ymax = 0.1 * 1.05;
  const px = (t) => x0 + PAD.l + (t / STEPS) * w, py = (v) => y0 + PAD.t + h - (v / ymax) * h;
  parts.push(`<text x="${x0 + PAD.l}" y="${y0 + 18}" font-size="11.5" font-weight="bold">${esc(title)}</text>`);
  parts.push(`<rect x="${x0 + PAD.l}" y="${y0 + PAD.t}" width="${w}" height="${h}" fill="#f7f7f7" stroke="#bbb"/>`);
  for (const v of [0, 0.05, 0.1]) {
    parts.push(`<line x1="${x0 + PAD.l}" x2="${x0 + PAD.l + w}" y1="${py(v)}" y2="${py(v)}" stroke="#ddd"/>`);
    parts.push(`<text x="${x0 + PAD.l - 4}" y="${py(v) + 4}" text-anchor="end">${v}</text>`);
  }
  for (const t of [0, 50, 100]) parts.push(`<text x="${px(t)}" y="${y0 + PAD.t + h + 14}" text-anchor="middle">${t}</text>`);
  const pts = ys.map((v, t) => `${px(t).toFixed(1)},${py(v).toFixed(1)}`).join(' ');
  parts.push(`<polyline points="${pts}" fill="none" stroke="${i < 11 ? '#d62728' : '#1f77b4'}" stroke-width="1.8"/>`);
});
parts.push('</svg>');
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'schedules.svg');
writeFileSync(out, parts.join('\n') + '\n');
console.log(`wrote ${out}`);

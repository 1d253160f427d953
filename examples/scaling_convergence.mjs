// Why feature scaling matters (the material's experiment): y = 200·x1 − x2 + 1, but the features are
// recorded as x1·0.1 and x2·10, so one spans [0, 0.1] and the other [0, 10]. Full-batch gradient
// descent on the mean squared error, at the largest stable step (1/λmax of the loss's Hessian), needs
// far more iterations on the raw features (a stretched, zig-zag valley) than after min-max scaling or
// z-scoring, which make the valley round. The labels are scaled too; the learned model is mapped back
// to original units through the scalers' inverseTransform, and predicts new data. Run: node examples/scaling_convergence.mjs
import { MinMaxScaler, Rng, StandardScaler } from 'simdgrad';

const N = 200, MAX_ITER = 3_000_000, REL_TOL = 1e-8; // stop at MSE ≤ REL_TOL·var(y), in original units
const rng = new Rng(7);
const truth = (x1, x2) => 200 * x1 - x2 + 1;

/** Features as recorded: [0.1·x1, 10·x2] with x1, x2 uniform in [0, 1]; labels from the true law. */
function dataset(n) {
  const X = [], y = [];
  for (let i = 0; i < n; i++) {
    const x1 = rng.uniform(), x2 = rng.uniform();
    X.push([0.1 * x1, 10 * x2]);
    y.push(truth(x1, x2));
  }
  return { X, y };
}

/** λmax of the MSE's Hessian (2/n)·AᵀA, A = [X 1], by power iteration: the step 1/λmax is the largest safe one. */
function lambdaMax(X) {
  const A = X.map((r) => [...r, 1]), d = 3;
  const H = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) =>
    (2 / A.length) * A.reduce((s, r) => s + r[i] * r[j], 0)));
  let v = [1, 1, 1], lam = 0;
  for (let it = 0; it < 500; it++) {
    const w = H.map((row) => row.reduce((s, h, j) => s + h * v[j], 0));
    lam = Math.hypot(...w);
    v = w.map((x) => x / lam);
  }
  return lam;
}

/** Full-batch gradient descent on MSE for y ≈ X·w + b; stops when the loss in original units reaches `target`. */
function gradientDescent(X, y, lossToOriginal, target) {
  const n = X.length, lr = 1 / lambdaMax(X);
  let w = [0, 0], b = 0, it = 0, loss = Infinity;
  for (; it < MAX_ITER; it++) {
    let g0 = 0, g1 = 0, gb = 0, l = 0;
    for (let i = 0; i < n; i++) {
      const r = X[i][0] * w[0] + X[i][1] * w[1] + b - y[i];
      g0 += r * X[i][0]; g1 += r * X[i][1]; gb += r; l += r * r;
    }
    loss = lossToOriginal(l / n);
    if (loss <= target) break;
    w = [w[0] - lr * (2 / n) * g0, w[1] - lr * (2 / n) * g1];
    b -= lr * (2 / n) * gb;
  }
  return { w, b, iterations: it, loss, lr };
}

const train = dataset(N), test = dataset(5);
const varY = new StandardScaler().fit(train.y).var[0];
const target = REL_TOL * varY;
console.log(`y = 200·x1 − x2 + 1; features recorded as [0.1·x1, 10·x2]; ${N} samples; target MSE ${target.toExponential(2)} (original units)\n`);

const runs = [
  { name: 'raw features', x: null, y: null },
  { name: 'min-max [0, 1]', x: new MinMaxScaler(), y: new MinMaxScaler() },
  { name: 'z-score', x: new StandardScaler(), y: new StandardScaler() },
];
for (const run of runs) {
  const Xs = run.x ? run.x.fitTransform(train.X) : train.X;
  const ys = run.y ? run.y.fitTransform(train.y) : train.y;
  // MSE in scaled label units × (original units per scaled unit)²
  const unit = run.y ? run.y.inverseTransform([1])[0] - run.y.inverseTransform([0])[0] : 1;
  const fit = gradientDescent(Xs, ys, (l) => l * unit * unit, target);
  // The whole pipeline x → transform → model → inverseTransform is affine in x: read off its coefficients.
  const predict = (rows) => {
    const xs = run.x ? run.x.transform(rows) : rows;
    const p = xs.map((r) => r[0] * fit.w[0] + r[1] * fit.w[1] + fit.b);
    return run.y ? run.y.inverseTransform(p) : p;
  };
  const [p0, p1, p2] = predict([[0, 0], [1, 0], [0, 1]]);
  const coef = [p1 - p0, p2 - p0];
  const preds = predict(test.X);
  const worst = Math.max(...preds.map((p, i) => Math.abs(p - test.y[i])));
  console.log(`${run.name.padEnd(15)} ${String(fit.iterations).padStart(8)} iterations (step ${fit.lr.toPrecision(3)}), ` +
    `MSE ${fit.loss.toExponential(2)}`);
  const sg = (v, digits) => (v < 0 ? `− ${(-v).toFixed(digits)}` : `+ ${v.toFixed(digits)}`);
  console.log(`${''.padEnd(15)} model in recorded units: y = ${coef[0].toFixed(3)}·x1' ${sg(coef[1], 4)}·x2' ${sg(p0, 4)}` +
    `   (true: 2000·x1' − 0.1·x2' + 1; in x1, x2: ${(coef[0] * 0.1).toFixed(3)}·x1 ${sg(coef[1] * 10, 4)}·x2)`);
  console.log(`${''.padEnd(15)} new data: max |prediction − truth| = ${worst.toExponential(2)}\n`);
}

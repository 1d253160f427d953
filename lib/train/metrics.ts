// Metrics (Keras names): accuracy (sparse, one-hot or binary, chosen from the loss as Keras does),
// binaryAccuracy, precision, recall, f1 (macro over classes; binary for one output), mse, mae, r2; and the
// standalone confusionMatrix / classificationReport. Contract: streaming — reset(), update() per batch,
// result() over everything seen; classes are argmax of the output (threshold 0.5 for one output).
// Not here: thresholds other than 0.5, AUC.
import type { FloatArray } from '../backend/backend';

export interface Metric {
  readonly name: string;
  reset(): void;
  update(pred: FloatArray, target: FloatArray, n: number, d: number, sparse: boolean): void;
  result(): number;
}

/** Predicted class of row i: argmax, or pred ≥ 0.5 for a single output. */
function predictedClass(pred: FloatArray, i: number, d: number): number {
  if (d === 1) return pred[i]! >= 0.5 ? 1 : 0;
  let c = 0;
  for (let j = 1; j < d; j++) if (pred[i * d + j]! > pred[i * d + c]!) c = j;
  return c;
}
/** True class of row i: the label, or argmax of the one-hot row, or target ≥ 0.5 for a single output. */
function trueClass(target: FloatArray, i: number, d: number, sparse: boolean): number {
  return sparse ? target[i]! : predictedClass(target, i, d);
}

/** Fraction of samples whose predicted class equals the true class. */
class Accuracy implements Metric {
  private correct = 0;
  private count = 0;
  constructor(readonly name: string) {}
  reset(): void { this.correct = 0; this.count = 0; }
  update(pred: FloatArray, target: FloatArray, n: number, d: number, sparse: boolean): void {
    for (let i = 0; i < n; i++) if (predictedClass(pred, i, d) === trueClass(target, i, d, sparse)) this.correct++;
    this.count += n;
  }
  result(): number { return this.count === 0 ? NaN : this.correct / this.count; }
}

/** Binary accuracy: every output thresholded at 0.5 against its 0/1 target, averaged over all outputs. */
class BinaryAccuracy implements Metric {
  private correct = 0;
  private count = 0;
  /** `name` is the key in the logs: 'accuracy' when asked for as accuracy with a binary loss (Keras). */
  constructor(readonly name = 'binaryAccuracy') {}
  reset(): void { this.correct = 0; this.count = 0; }
  update(pred: FloatArray, target: FloatArray, n: number, d: number): void {
    for (let i = 0; i < n * d; i++) if ((pred[i]! >= 0.5 ? 1 : 0) === (target[i]! >= 0.5 ? 1 : 0)) this.correct++;
    this.count += n * d;
  }
  result(): number { return this.count === 0 ? NaN : this.correct / this.count; }
}

/** Accumulates a confusion matrix; precision/recall/F1 read it (macro average over classes, or class 1 for binary). */
class ConfusionMetric implements Metric {
  private cm: Float64Array | null = null;
  private k = 0;
  constructor(readonly name: 'precision' | 'recall' | 'f1') {}
  reset(): void { this.cm = null; }
  update(pred: FloatArray, target: FloatArray, n: number, d: number, sparse: boolean): void {
    const k = d === 1 ? 2 : d;
    if (this.cm === null || this.k !== k) { this.cm = new Float64Array(k * k); this.k = k; }
    for (let i = 0; i < n; i++) { const t = trueClass(target, i, d, sparse), p = predictedClass(pred, i, d); this.cm[t * k + p]!++; }
  }
  result(): number {
    if (this.cm === null) return NaN;
    const rep = reportFromMatrix(this.cm, this.k);
    // Binary (two classes): the positive class's score, as Keras Precision/Recall; otherwise the macro mean.
    const pick = this.k === 2 ? rep.perClass[1]! : rep.macro;
    return pick[this.name];
  }
}

/** Streaming regression metric from Σ of squared / absolute errors and target moments. */
class RegressionMetric implements Metric {
  private se = 0; private ae = 0; private count = 0; private sum = 0; private sumSq = 0;
  constructor(readonly name: 'mse' | 'mae' | 'r2') {}
  reset(): void { this.se = 0; this.ae = 0; this.count = 0; this.sum = 0; this.sumSq = 0; }
  update(pred: FloatArray, target: FloatArray, n: number, d: number): void {
    for (let i = 0; i < n * d; i++) {
      const e = pred[i]! - target[i]!, t = target[i]!;
      this.se += e * e; this.ae += Math.abs(e); this.sum += t; this.sumSq += t * t;
    }
    this.count += n * d;
  }
  /** r2 = 1 − SS_res/SS_tot over all outputs pooled (sklearn r2_score for one output). */
  result(): number {
    if (this.count === 0) return NaN;
    if (this.name === 'mse') return this.se / this.count;
    if (this.name === 'mae') return this.ae / this.count;
    const ssTot = this.sumSq - this.sum * this.sum / this.count;
    return 1 - this.se / ssTot;
  }
}

const FACTORIES: Record<string, () => Metric> = {
  accuracy: () => new Accuracy('accuracy'), acc: () => new Accuracy('accuracy'),
  categoricalAccuracy: () => new Accuracy('categoricalAccuracy'), sparseCategoricalAccuracy: () => new Accuracy('sparseCategoricalAccuracy'),
  binaryAccuracy: () => new BinaryAccuracy(),
  precision: () => new ConfusionMetric('precision'), recall: () => new ConfusionMetric('recall'), f1: () => new ConfusionMetric('f1'),
  mse: () => new RegressionMetric('mse'), meanSquaredError: () => new RegressionMetric('mse'),
  mae: () => new RegressionMetric('mae'), meanAbsoluteError: () => new RegressionMetric('mae'), r2: () => new RegressionMetric('r2'),
};

const CUSTOM = new Map<string, () => Metric>();

/**
 * Makes a custom metric known by name (Keras custom_objects, once for the process): `compile` then
 * accepts the name, and `loadModel` rebuilds a model compiled with it. factory() returns a fresh Metric.
 */
export function registerMetric(name: string, factory: () => Metric): void {
  if (typeof name !== 'string' || typeof factory !== 'function') throw new TypeError('registerMetric: expected (name: string, factory: function)');
  CUSTOM.set(name, factory);
}

/** Whether `name` is a built-in or registered metric (loadModel rebuilds those by name). */
export function isKnownMetric(name: string): boolean {
  return Object.hasOwn(FACTORIES, name) || CUSTOM.has(name);
}

/** A metric from a name (built-in or registered) or a Metric object. 'accuracy' with binaryCrossentropy is binary accuracy (Keras). */
export function getMetric(where: string, v: unknown, lossName: string): Metric {
  if (typeof v === 'object' && v !== null && typeof (v as Metric).update === 'function') return v as Metric;
  if (typeof v === 'string' && CUSTOM.has(v)) return CUSTOM.get(v)!();
  if (typeof v !== 'string' || !Object.hasOwn(FACTORIES, v)) {
    throw new TypeError(`${where}: unknown metric ${JSON.stringify(v)} (known: ${[...Object.keys(FACTORIES), ...CUSTOM.keys()].join(', ')}; ` +
      'custom metrics: a Metric object, or registerMetric(name, factory))');
  }
  if ((v === 'accuracy' || v === 'acc') && lossName === 'binaryCrossentropy') return new BinaryAccuracy('accuracy');
  return FACTORIES[v]!();
}

export interface ClassScores { precision: number; recall: number; f1: number; support: number }
export interface ClassificationReport { perClass: ClassScores[]; macro: ClassScores; accuracy: number }

/** Confusion matrix C[t][p] = number of samples of true class t predicted as p (sklearn confusion_matrix). */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numClasses: number): number[][] {
  if (yTrue.length !== yPred.length) throw new RangeError(`confusionMatrix: yTrue has ${yTrue.length} labels, yPred ${yPred.length}`);
  if (!Number.isSafeInteger(numClasses) || numClasses < 1) throw new RangeError(`confusionMatrix: numClasses must be an integer >= 1, got ${numClasses}`);
  const cm = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!, p = yPred[i]!;
    for (const [name, v] of [['yTrue', t], ['yPred', p]] as const) {
      if (!Number.isInteger(v) || v < 0 || v >= numClasses) throw new RangeError(`confusionMatrix: ${name}[${i}] = ${v}, expected an integer in [0, ${numClasses - 1}]`);
    }
    cm[t]![p]!++;
  }
  return cm;
}

/** Precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2PR/(P+R) per class (0 when undefined, as sklearn's zero_division=0); macro = unweighted mean. */
function reportFromMatrix(cm: ArrayLike<number>, k: number): ClassificationReport {
  const perClass: ClassScores[] = [];
  let correct = 0, total = 0;
  for (let c = 0; c < k; c++) {
    let tp = 0, col = 0, row = 0;
    for (let j = 0; j < k; j++) { col += cm[j * k + c]!; row += cm[c * k + j]!; }
    tp = cm[c * k + c]!;
    correct += tp; total += row;
    const precision = col === 0 ? 0 : tp / col, recall = row === 0 ? 0 : tp / row;
    perClass.push({ precision, recall, f1: precision + recall === 0 ? 0 : 2 * precision * recall / (precision + recall), support: row });
  }
  const mean = (key: 'precision' | 'recall' | 'f1') => perClass.reduce((s, r) => s + r[key], 0) / k;
  return { perClass, macro: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1'), support: total }, accuracy: total === 0 ? NaN : correct / total };
}

/** Per-class and macro precision / recall / F1 and accuracy from integer labels. */
export function classificationReport(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numClasses: number): ClassificationReport {
  return reportFromMatrix(confusionMatrix(yTrue, yPred, numClasses).flat(), numClasses);
}

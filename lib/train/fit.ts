// fit / evaluate / predict / trainOnBatch for Sequential (Keras semantics). fit is async and yields to
// the event loop after every batch (a server stays responsive), stops on an AbortSignal or when a callback
// sets model.stopTraining, and refuses a second concurrent fit on the same model. batchSize 1 is SGD,
// batchSize ≥ samples is full-batch descent; the last partial batch is a batch of its own size.
// Contract: per-epoch logs are sample-weighted means over the epoch. Not here: data scaling, multi-input models.
import type { FloatArray } from '../backend/backend';
import type { Sequential } from '../model/sequential';
import { checkInt, checkKeys, checkOneOf } from '../optim/options';
import { Rng } from '../rng';
import { ReduceLROnPlateau } from '../schedules/plateau';
import { Tensor } from '../tensor';
import { Callback, History, type FitParams, type Logs } from './callbacks';
import { toInputs, toSampleWeights, toTargets } from './data';
import { ProgressLogger } from './progress';

export interface FitOptions {
  epochs?: number;
  batchSize?: number;
  shuffle?: boolean;
  /** Fraction of the samples, taken from the END before shuffling (Keras), held out for validation. */
  validationSplit?: number;
  validationData?: [unknown, unknown] | [unknown, unknown, unknown];
  callbacks?: Callback[];
  /** A scheduler with step() (PyTorch-style), or ReduceLROnPlateau (stepped with val_loss, else loss). */
  scheduler?: { step(metric?: number): void };
  schedulerInterval?: 'epoch' | 'batch';
  /** Reseeds shuffling and the dropout/RReLU stream: same seed → same training. */
  seed?: number;
  /** 0 silent, 1 progress bar on a TTY (lines otherwise), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  signal?: AbortSignal;
  sampleWeight?: unknown;
  classWeight?: Record<number, number>;
  /** Keep every batch's logs in history.batches. */
  recordBatches?: boolean;
}

const FIT_KEYS = ['epochs', 'batchSize', 'shuffle', 'validationSplit', 'validationData', 'callbacks', 'scheduler',
  'schedulerInterval', 'seed', 'verbose', 'signal', 'sampleWeight', 'classWeight', 'recordBatches'];

/** Prepared arrays: inputs, targets, optional weights, and the sample count. */
interface Dataset { x: FloatArray; y: FloatArray; w: Float64Array | null; n: number }

function compiledOf(model: Sequential, where: string) {
  if (model.compiled === null) throw new Error(`${where}: the model is not compiled; call model.compile({ optimizer, loss }) first`);
  return model.compiled;
}

export function prepare(model: Sequential, where: string, x: unknown, y: unknown, sampleWeight?: unknown, classWeight?: unknown): Dataset {
  const { loss } = compiledOf(model, where);
  const xs = toInputs(where, x, model.inputShape, model.dtype);
  const ys = toTargets(where, y, loss, model.outputShape, xs.n, model.dtype);
  const d = model.layers[model.layers.length - 1]!.outputSize;
  return { x: xs.data, y: ys, w: toSampleWeights(where, sampleWeight, classWeight, ys, xs.n, loss.sparse, d), n: xs.n };
}

/** Rows [from, from + count) of a dataset, as a new dataset (copies). */
function slice(ds: Dataset, from: number, count: number, perX: number, perY: number): Dataset {
  return { x: ds.x.slice(from * perX, (from + count) * perX), y: ds.y.slice(from * perY, (from + count) * perY),
    w: ds.w ? ds.w.slice(from, from + count) : null, n: count };
}

/** Copies the rows idx[start..start+n) into the model's batch buffers (allocated once per batch size). */
function gather(model: Sequential, ds: Dataset, idx: Int32Array | null, start: number, n: number, perX: number, perY: number) {
  const xb = model.buffer('batchX', n, n * perX), yb = model.buffer('batchY', n, n * perY);
  const wb = ds.w ? model.buffer('batchW', n, n) : null;
  for (let r = 0; r < n; r++) {
    const i = idx ? idx[start + r]! : start + r;
    xb.set(ds.x.subarray(i * perX, (i + 1) * perX), r * perX);
    yb.set(ds.y.subarray(i * perY, (i + 1) * perY), r * perY);
    if (wb) wb[r] = ds.w![i]!;
  }
  return { xb, yb, wb };
}

function perSample(model: Sequential): { perX: number; perY: number; d: number } {
  const d = model.layers[model.layers.length - 1]!.outputSize;
  return { perX: model.layers[0]!.inputSize, perY: compiledOf(model, 'fit').loss.sparse ? 1 : d, d };
}

/** One optimizer step on a prepared batch; returns the batch loss and updates the metrics. */
function step(model: Sequential, xb: FloatArray, yb: FloatArray, wb: FloatArray | null, n: number, d: number): number {
  const { optimizer, loss, metrics } = model.compiled!;
  optimizer.zeroGrad();
  const r = model.lossAndGradients(xb, yb, wb, n, loss);
  optimizer.step();
  for (const m of metrics) m.update(r.pred, yb, n, d, loss.sparse);
  return r.loss;
}

/** Loss and metrics of a dataset in inference mode (batched). */
function evaluateDataset(model: Sequential, ds: Dataset, batchSize: number): Logs {
  const { loss, metrics } = model.compiled!;
  const { perX, perY, d } = perSample(model);
  for (const m of metrics) m.reset();
  model.prepareLoss(loss);
  let total = 0;
  for (let s = 0; s < ds.n; s += batchSize) {
    const n = Math.min(batchSize, ds.n - s);
    const { xb, yb, wb } = gather(model, ds, null, s, n, perX, perY);
    const pred = model.forward(xb, n, false);
    total += model.computeLoss(pred, yb, wb, n, loss, null).sum;
    for (const m of metrics) m.update(pred, yb, n, d, loss.sparse);
  }
  let reg = 0;
  for (const l of model.layers) reg += l.regularizationLoss();
  const logs: Logs = { loss: total / ds.n + reg };
  for (const m of metrics) logs[m.name] = m.result();
  return logs;
}

function parseFitOptions(model: Sequential, options: FitOptions) {
  const o = checkKeys('fit', options, FIT_KEYS) as FitOptions;
  const epochs = checkInt('fit', 'epochs', o.epochs ?? 1, 0);
  const batchSize = checkInt('fit', 'batchSize', o.batchSize ?? 32, 1);
  const verbose = o.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new TypeError(`fit: verbose must be 0, 1 or 2, got ${String(verbose)}`);
  const split = o.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw new RangeError(`fit: validationSplit must be in [0, 1), got ${String(split)}`);
  if (split > 0 && o.validationData !== undefined) throw new TypeError('fit: give validationSplit or validationData, not both');
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new TypeError('fit: signal must be an AbortSignal');
  const callbacks = o.callbacks ?? [];
  if (!Array.isArray(callbacks) || !callbacks.every((c) => c instanceof Callback)) throw new TypeError('fit: callbacks must be an array of Callback instances');
  if (o.scheduler !== undefined && typeof o.scheduler?.step !== 'function') throw new TypeError('fit: scheduler must have a step() method');
  const interval = checkOneOf('fit', 'schedulerInterval', o.schedulerInterval ?? 'epoch', ['epoch', 'batch']);
  if (o.seed !== undefined) {
    const rng = new Rng(o.seed);
    model.shuffleRng = rng;
    model.noiseRng = rng.fork();
  }
  return { o, epochs, batchSize, verbose, split, callbacks, interval };
}

export async function fit(model: Sequential, x: unknown, y: unknown, options: FitOptions = {}): Promise<History> {
  compiledOf(model, 'fit');
  if (model.isFitting) throw new Error('fit: this model is already training (another fit() has not finished); await it before starting another');
  const { o, epochs, batchSize, verbose, split, callbacks, interval } = parseFitOptions(model, options);
  let data = prepare(model, 'fit', x, y, o.sampleWeight, o.classWeight);
  if (data.n === 0) throw new RangeError('fit: x has no samples');
  const { perX, perY, d } = perSample(model);
  let val: Dataset | null = null;
  if (split > 0) {
    const at = Math.round(data.n * (1 - split));
    if (at === 0 || at === data.n) throw new RangeError(`fit: validationSplit ${split} of ${data.n} samples leaves an empty training or validation set`);
    val = slice(data, at, data.n - at, perX, perY);
    data = slice(data, 0, at, perX, perY);
  } else if (o.validationData !== undefined) {
    if (!Array.isArray(o.validationData) || o.validationData.length < 2) throw new TypeError('fit: validationData must be [x, y] or [x, y, sampleWeight]');
    val = prepare(model, 'fit: validationData', o.validationData[0], o.validationData[1], o.validationData[2]);
  }
  const history = new History(o.recordBatches ?? false);
  const all: Callback[] = [history, ...(verbose > 0 ? [new ProgressLogger(verbose)] : []), ...callbacks];
  const steps = Math.ceil(data.n / batchSize);
  const { metrics } = model.compiled!;
  const params: FitParams = { epochs, steps, samples: data.n, batchSize, verbose, metrics: metrics.map((m) => m.name) };
  for (const c of all) { c.setModel(model); c.setParams(params); }
  model.isFitting = true;
  model.stopTraining = false;
  try {
    for (const c of all) await c.onTrainBegin({});
    for (let epoch = 0; epoch < epochs && !model.stopTraining; epoch++) {
      for (const c of all) await c.onEpochBegin(epoch, {});
      const perm = o.shuffle ?? true ? model.shuffleRng.permutation(data.n) : null;
      for (const m of metrics) m.reset();
      let seen = 0, lossSum = 0;
      for (let b = 0; b < steps; b++) {
        if (o.signal?.aborted) { history.stopReason = 'aborted'; model.stopTraining = true; break; }
        for (const c of all) await c.onBatchBegin(b, { size: Math.min(batchSize, data.n - b * batchSize) });
        const n = Math.min(batchSize, data.n - b * batchSize);
        const { xb, yb, wb } = gather(model, data, perm, b * batchSize, n, perX, perY);
        const loss = step(model, xb, yb, wb, n, d);
        seen += n; lossSum += loss * n;
        const logs: Logs = { loss: lossSum / seen };
        for (const m of metrics) logs[m.name] = m.result();
        for (const c of all) await c.onBatchEnd(b, logs);
        if (interval === 'batch' && o.scheduler) o.scheduler.step();
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (model.stopTraining) { history.stopReason ??= 'callback'; break; }
      }
      if (seen === 0) break;
      const logs: Logs = { loss: lossSum / seen };
      for (const m of metrics) logs[m.name] = m.result();
      if (val) for (const [k, v] of Object.entries(evaluateDataset(model, val, batchSize))) logs[`val_${k}`] = v;
      if (interval === 'epoch' && o.scheduler) {
        if (isPlateau(o.scheduler)) o.scheduler.step(logs.val_loss ?? logs.loss!);
        else o.scheduler.step();
      }
      for (const c of all) await c.onEpochEnd(epoch, logs);
      if (model.stopTraining) history.stopReason ??= 'callback';
    }
    for (const c of all) await c.onTrainEnd({});
  } finally {
    model.isFitting = false;
  }
  return history;
}

function isPlateau(s: unknown): s is ReduceLROnPlateau {
  return s instanceof ReduceLROnPlateau;
}

/** Loss and metrics on (x, y) in inference mode: { loss, <metric>… } (Keras returns a list; this names them). */
export function evaluate(model: Sequential, x: unknown, y: unknown, options: { batchSize?: number; sampleWeight?: unknown } = {}): Logs {
  const o = checkKeys('evaluate', options, ['batchSize', 'sampleWeight']) as { batchSize?: number; sampleWeight?: unknown };
  // The compiled metrics accumulate fit's epoch: evaluating meanwhile would reset them (predict is safe).
  if (model.isFitting) throw new Error('evaluate: the model is training in fit(); await it first (predict works during fit)');
  const ds = prepare(model, 'evaluate', x, y, o.sampleWeight);
  if (ds.n === 0) throw new RangeError('evaluate: x has no samples');
  return evaluateDataset(model, ds, checkInt('evaluate', 'batchSize', o.batchSize ?? 32, 1));
}

/** Outputs for x in inference mode, batched (any sample count): a Tensor [n, ...outputShape]. */
export function predict(model: Sequential, x: unknown, options: { batchSize?: number } = {}): Tensor {
  const o = checkKeys('predict', options, ['batchSize']) as { batchSize?: number };
  const batchSize = checkInt('predict', 'batchSize', o.batchSize ?? 32, 1);
  const xs = toInputs('predict', x, model.inputShape, model.dtype);
  const per = model.layers[0]!.inputSize, d = model.layers[model.layers.length - 1]!.outputSize;
  const out = model.dtype === 'float64' ? new Float64Array(xs.n * d) : new Float32Array(xs.n * d);
  for (let s = 0; s < xs.n; s += batchSize) {
    const n = Math.min(batchSize, xs.n - s);
    const xb = model.buffer('batchX', n, n * per);
    xb.set(xs.data.subarray(s * per, (s + n) * per));
    out.set(model.forward(xb, n, false).subarray(0, n * d), s * d);
  }
  return new Tensor(out, [xs.n, ...model.outputShape]);
}

/** One gradient step on exactly this batch (Keras train_on_batch); returns { loss, <metric>… } of the batch. */
export function trainOnBatch(model: Sequential, x: unknown, y: unknown, options: { sampleWeight?: unknown; classWeight?: Record<number, number> } = {}): Logs {
  const o = checkKeys('trainOnBatch', options, ['sampleWeight', 'classWeight']) as { sampleWeight?: unknown; classWeight?: unknown };
  if (model.isFitting) throw new Error('trainOnBatch: the model is training in fit(); await it first');
  const ds = prepare(model, 'trainOnBatch', x, y, o.sampleWeight, o.classWeight);
  if (ds.n === 0) throw new RangeError('trainOnBatch: x has no samples');
  const { d } = perSample(model);
  for (const m of model.compiled!.metrics) m.reset();
  const logs: Logs = { loss: step(model, ds.x, ds.y, ds.w, ds.n, d) };
  for (const m of model.compiled!.metrics) logs[m.name] = m.result();
  return logs;
}

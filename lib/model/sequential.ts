// Sequential (Keras keras.Sequential): a stack of layers, built as soon as the first layer has an
// inputShape, so parameters() exists right after construction. Contract: float32 models run on the active
// backend, float64 models on the reference backend (gradCheck); forward/lossAndGradients reuse per-batch-size
// buffers; backward accumulates into Parameter.grad. Training loops (fit / evaluate / predict) live in
// lib/train, saving in model_io.ts. Not here: non-sequential graphs.
import type { Backend, FloatArray } from '../backend/backend';
import { reference } from '../backend/reference';
import { backend } from '../backend/select';
import { BufferPool } from '../layers/buffer_pool';
import { Layer, sizeOf, type LayerContext } from '../layers/layer';
import type { Loss } from '../losses/losses';
import type { Optimizer } from '../optim/optimizer';
import type { Parameter } from '../optim/parameter';
import { checkKeys, checkOneOf } from '../optim/options';
import { Rng } from '../rng';
import { Tensor, type DType } from '../tensor';
import type { History, Logs } from '../train/callbacks';
import { compileModel, type CompileOptions } from '../train/compile';
import { evaluate, fit, predict, trainOnBatch, type FitOptions } from '../train/fit';
import type { Metric } from '../train/metrics';
import { saveModel, type LoadedExtras, type SaveOptions } from './model_io';

export interface SequentialOptions {
  /** Seeds the initializers (and the default noise stream of dropout / RReLU). Default 0. */
  seed?: number;
  /** 'float32' (default) or 'float64' (reference backend only; used by gradCheck). */
  dtype?: DType;
  name?: string;
}

/** What compile() stored. */
export interface Compiled { optimizer: Optimizer<object>; loss: Loss; metrics: Metric[] }

export class Sequential {
  readonly layers: Layer[] = [];
  readonly dtype: DType;
  readonly seed: number;
  name: string;
  /** Set by a callback (or TerminateOnNaN / EarlyStopping) to end fit after the current batch. */
  stopTraining = false;
  compiled: Compiled | null = null;
  /** True while a fit() runs: a second concurrent fit on the same model is refused. */
  isFitting = false;
  private initRng: Rng;
  /** Dropout and RReLU draw from this stream (fit reseeds it from its seed). */
  noiseRng: Rng;
  /** fit's shuffling stream (fit reseeds it from its seed). */
  shuffleRng: Rng;
  /** What loadModel found besides the weights (scheduler state, scaler). */
  loaded: LoadedExtras = {};
  private readonly pool = new BufferPool();

  constructor(layers: Layer[] = [], options: SequentialOptions = {}) {
    checkKeys('Sequential', options, ['seed', 'dtype', 'name']);
    this.seed = options.seed ?? 0;
    this.dtype = checkOneOf('Sequential', 'dtype', options.dtype ?? 'float32', ['float32', 'float64']);
    this.name = options.name ?? 'sequential';
    this.initRng = new Rng(this.seed);
    this.noiseRng = this.initRng.fork();
    this.shuffleRng = this.initRng.fork();
    if (!Array.isArray(layers)) throw new TypeError('Sequential: layers must be an array of Layer');
    for (const l of layers) this.add(l);
  }

  /** Appends a layer, building it when the input shape is known (Keras model.add). */
  add(layer: Layer): this {
    if (!(layer instanceof Layer)) throw new TypeError(`Sequential.add: expected a Layer, got ${typeof layer}`);
    const prev = this.layers[this.layers.length - 1];
    if (prev === undefined && layer.inputShape === null) {
      throw new TypeError(`Sequential: the first layer (${layer.className}) needs an inputShape, e.g. { inputShape: [784] }`);
    }
    if (prev !== undefined && layer.inputShape !== null && sizeOf(layer.inputShape) !== prev.outputSize) {
      throw new RangeError(`Sequential: layer ${this.layers.length} (${layer.className}) has inputShape [${layer.inputShape.join(',')}] but the previous layer outputs [${prev.outputShape.join(',')}]`);
    }
    const shape = prev === undefined ? layer.inputShape! : prev.outputShape;
    layer.build(shape, this.dtype, this.initRng.fork());
    if (layer.name === '') layer.name = `${layer.className.toLowerCase()}_${this.layers.length}`;
    this.layers.push(layer);
    return this;
  }

  get inputShape(): readonly number[] { return this.firstLayer().inputShape!; }
  get outputShape(): readonly number[] { return this.layers[this.layers.length - 1]!.outputShape; }

  private firstLayer(): Layer {
    const l = this.layers[0];
    if (l === undefined) throw new Error('Sequential: the model has no layers');
    return l;
  }

  /** Every Parameter, layer by layer (the order optimizers, getWeights and files use). */
  parameters(): Parameter[] { return this.layers.flatMap((l) => l.parameters()); }

  /** The kernels this model runs on: the active backend for float32, the reference for float64. */
  backend(): Backend { return this.dtype === 'float64' ? reference : backend(); }

  /** Copies of the weights: each layer's parameters, then its state arrays (BatchNorm running stats). */
  getWeights(): Tensor[] {
    const out: Tensor[] = [];
    for (const l of this.layers) {
      for (const p of l.parameters()) out.push(p.value.clone());
      for (const s of l.stateArrays()) out.push(new Tensor(s.slice(), [s.length]));
    }
    return out;
  }

  /** Sets the weights from getWeights()-shaped tensors (shapes checked; values copied). */
  setWeights(weights: readonly Tensor[]): void {
    const targets = this.layers.flatMap((l) => [
      ...l.parameters().map((p) => ({ data: p.value.data, shape: p.value.shape, what: `${l.name}/${p.name}` })),
      ...l.stateArrays().map((s, i) => ({ data: s, shape: [s.length] as readonly number[], what: `${l.name}/state${i}` })),
    ]);
    if (!Array.isArray(weights) || weights.length !== targets.length) {
      throw new RangeError(`setWeights: expected ${targets.length} tensors, got ${Array.isArray(weights) ? weights.length : typeof weights}`);
    }
    targets.forEach((t, i) => {
      const w = weights[i]!;
      if (!(w instanceof Tensor) || w.size !== t.data.length || w.shape.join() !== t.shape.join()) {
        throw new RangeError(`setWeights: weight ${i} (${t.what}) must have shape [${t.shape.join(',')}], got ${w instanceof Tensor ? `[${w.shape.join(',')}]` : typeof w}`);
      }
    });
    targets.forEach((t, i) => t.data.set(weights[i]!.data));
  }

  /** A scratch buffer of the model keyed by name and batch size (allocated once). */
  buffer(key: string, n: number, size: number): FloatArray { return this.pool.get(key, n, size, this.dtype); }

  /** Runs every layer on n samples; returns the last layer's buffer. */
  forward(x: FloatArray, n: number, training: boolean): FloatArray {
    const ctx: LayerContext = { be: this.backend(), training, rng: this.noiseRng };
    let h = x;
    for (const l of this.layers) h = l.forward(h, n, ctx);
    return h;
  }

  /**
   * One forward + loss + backward on a batch (gradients ACCUMULATE into Parameter.grad; no optimizer step).
   * Returns the data loss Σ w_i·l_i / n plus the layers' regularization penalties, and leaves the
   * predictions in `pred` for metrics.
   */
  lossAndGradients(x: FloatArray, target: FloatArray, weights: FloatArray | null, n: number, loss: Loss): { loss: number; pred: FloatArray } {
    const be = this.backend();
    const ctx: LayerContext = { be, training: true, rng: this.noiseRng };
    this.prepareLoss(loss);
    const pred = this.forward(x, n, true);
    const d = this.layers[this.layers.length - 1]!.outputSize;
    const grad = this.buffer('dLoss', n, n * d);
    const { sum, fused } = this.computeLoss(pred, target, weights, n, loss, grad);
    let g: FloatArray | null = grad;
    const first = this.firstTrainableLayer();
    for (let i = this.layers.length - 1; i >= 0 && i >= first && g !== null; i--) {
      const l = this.layers[i]!;
      g = i === this.layers.length - 1 && fused ? l.backwardFromLogits(g, n, ctx, i > first) : l.backward(g, n, ctx, i > first);
    }
    let reg = 0;
    for (const l of this.layers) reg += l.regularizationLoss();
    return { loss: sum / n + reg, pred };
  }

  /** Before a forward whose output goes to `loss`: a fusable output layer keeps its logits (e.g. a sigmoid Dense). */
  prepareLoss(loss: Loss): void {
    const last = this.layers[this.layers.length - 1]!;
    last.keepLogits = loss.fusesWith() !== null && loss.fusesWith() === last.fusableOutput();
  }

  /**
   * Σ w_i·l_i of the last forward's output, and ∂(batch loss)/∂output into grad (when not null). Fuses
   * softmax + cross-entropy (or sigmoid + binary CE): loss by log-sum-exp on the logits, gradient p − t.
   */
  computeLoss(pred: FloatArray, target: FloatArray, weights: FloatArray | null, n: number, loss: Loss,
    grad: FloatArray | null): { sum: number; fused: boolean } {
    const last = this.layers[this.layers.length - 1]!, d = last.outputSize;
    const fused = loss.fusesWith() !== null && loss.fusesWith() === last.fusableOutput() && last.logits() !== null;
    const sum = fused ? loss.computeFromLogits(last.logits()!, target, n, d, weights, grad) : loss.compute(pred, target, n, d, weights, grad);
    return { sum, fused };
  }

  /** Keras model.compile({ optimizer, loss, metrics }). */
  compile(options: CompileOptions): void {
    if (this.isFitting) throw new Error('compile: the model is training in fit(); await it first');
    this.compiled = compileModel(this, options);
  }
  /** Keras model.fit (async; see lib/train/fit.ts). */
  fit(x: unknown, y: unknown, options: FitOptions = {}): Promise<History> { return fit(this, x, y, options); }
  /** Keras model.evaluate: { loss, <metric>… }. */
  evaluate(x: unknown, y: unknown, options: { batchSize?: number; sampleWeight?: unknown } = {}): Logs { return evaluate(this, x, y, options); }
  /** Keras model.predict: a Tensor [n, ...outputShape]. */
  predict(x: unknown, options: { batchSize?: number } = {}): Tensor { return predict(this, x, options); }
  /** Keras model.train_on_batch. */
  trainOnBatch(x: unknown, y: unknown, options: { sampleWeight?: unknown; classWeight?: Record<number, number> } = {}): Logs {
    return trainOnBatch(this, x, y, options);
  }
  /** Saves architecture, weights and (by default) optimizer state to an SGRD file, atomically. */
  save(path: string, options: SaveOptions = {}): Promise<void> { return saveModel(this, path, options); }

  /** Index of the first layer with a trainable parameter (earlier layers need no backward). */
  private firstTrainableLayer(): number {
    const i = this.layers.findIndex((l) => l.parameters().some((p) => p.trainable));
    return i < 0 ? this.layers.length : i;
  }

  /** Keras-style table: layer (type), output shape, parameter count; totals. printFn defaults to console.log. */
  summary(printFn: (line: string) => void = console.log): string {
    const rows = this.layers.map((l) => [`${l.name} (${l.className})`, `[null, ${l.outputShape.join(', ')}]`,
      String(l.parameters().reduce((s, p) => s + p.value.size, 0))]);
    const head = ['Layer (type)', 'Output shape', 'Param #'];
    const w = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)) + 2);
    const fmt = (r: string[]) => r.map((s, c) => s.padEnd(w[c]!)).join('').trimEnd();
    const params = this.parameters();
    const total = params.reduce((s, p) => s + p.value.size, 0);
    const trainable = params.filter((p) => p.trainable).reduce((s, p) => s + p.value.size, 0);
    const rule = '='.repeat(w.reduce((a, b) => a + b, 0));
    const lines = [`Model: "${this.name}"`, rule, fmt(head), rule, ...rows.map(fmt), rule,
      `Total params: ${total}`, `Trainable params: ${trainable}`, `Non-trainable params: ${total - trainable}`];
    const text = lines.join('\n');
    printFn(text);
    return text;
  }
}

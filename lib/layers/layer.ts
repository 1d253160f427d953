// The layer contract every built-in and custom layer follows (layer-wise backprop, as Keras layers with
// PyTorch's gradient accumulation). Contract: build() once with the per-sample input shape creates the
// parameters; forward(x, n) returns a buffer the layer owns (valid until its next forward); backward(dy, n)
// ACCUMULATES parameter gradients into Parameter.grad and returns dL/dx (or null when not needed).
// Buffers are allocated once per batch size and reused. Not here: the model loop, losses, optimizers.
import type { Backend, FloatArray } from '../backend/backend';
import type { Parameter } from '../optim/parameter';
import type { Rng } from '../rng';
import type { DType } from '../tensor';
import { BufferPool } from './buffer_pool';

/** What a layer call needs besides its data: the kernels, the mode and the model's random stream. */
export interface LayerContext {
  be: Backend;
  training: boolean;
  rng: Rng;
}

/** Options every layer accepts (Keras names). */
export interface LayerOptions {
  /** Per-sample input shape (without the batch axis); needed on the first layer of a Sequential. */
  inputShape?: readonly number[];
  name?: string;
  trainable?: boolean;
}

export const LAYER_KEYS = ['inputShape', 'name', 'trainable'] as const;

/** Per-sample element count of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Base class. A custom layer subclasses it and implements build (optional), computeOutputShape, forward,
 * backward and getConfig; parameters() lists its Parameters (created in build with this.addWeight).
 */
export abstract class Layer {
  name: string;
  inputShape: readonly number[] | null;
  outputShape: readonly number[] = [];
  dtype: DType = 'float32';
  built = false;
  /** Set by the model when the loss is fused with this (last) layer's output activation: keep the logits. */
  keepLogits = false;
  private trainableFlag: boolean;
  protected readonly weights: Parameter[] = [];
  /** Buffers keyed by name and batch size: allocated once, then reused (no per-step garbage). */
  private readonly pool = new BufferPool();
  private readonly createdTrainable = new Map<Parameter, boolean>();

  protected constructor(readonly className: string, options: LayerOptions) {
    this.inputShape = options.inputShape ? checkShape(className, options.inputShape) : null;
    this.name = options.name ?? '';
    if (typeof this.name !== 'string') throw new TypeError(`${className}: name must be a string`);
    this.trainableFlag = options.trainable ?? true;
    if (typeof this.trainableFlag !== 'boolean') throw new TypeError(`${className}: trainable must be a boolean`);
  }

  /** Frozen layers keep their weights (Keras `layer.trainable = false`); their Parameters are skipped by optimizers. */
  get trainable(): boolean { return this.trainableFlag; }
  set trainable(v: boolean) {
    this.trainableFlag = v;
    // A parameter created frozen (e.g. BatchNorm's gamma with scale: false) stays frozen.
    for (const p of this.weights) p.trainable = v && this.createdTrainable.get(p) !== false;
  }

  /** Creates the parameters for a per-sample input shape; rng draws the initial values. */
  build(inputShape: readonly number[], dtype: DType, rng: Rng): void {
    this.inputShape = inputShape.slice();
    this.dtype = dtype;
    this.outputShape = this.computeOutputShape(inputShape);
    this.initWeights(rng);
    for (const p of this.weights) p.trainable = this.trainableFlag && p.trainable;
    this.built = true;
  }

  /** Subclasses with parameters create them here with addWeight. */
  protected initWeights(rng: Rng): void { void rng; }

  protected addWeight(p: Parameter): Parameter {
    this.weights.push(p);
    this.createdTrainable.set(p, p.trainable);
    return p;
  }

  abstract computeOutputShape(inputShape: readonly number[]): readonly number[];
  /** y = f(x) for n samples (x is n × inputSize). The result is this layer's buffer. */
  abstract forward(x: FloatArray, n: number, ctx: LayerContext): FloatArray;
  /**
   * Given dL/dy of the last forward, accumulates parameter gradients and returns dL/dx (null when
   * needInputGrad is false: the first layer skips that product).
   */
  abstract backward(dy: FloatArray, n: number, ctx: LayerContext, needInputGrad: boolean): FloatArray | null;
  /** Constructor options that rebuild this layer (JSON), without inputShape/name/trainable. */
  abstract getConfig(): Record<string, unknown>;

  /** This layer's parameters, trainable or not (BatchNorm's running statistics are not parameters). */
  parameters(): Parameter[] { return this.weights.slice(); }
  /** Arrays saved with the weights besides the parameters (e.g. BatchNorm's running mean and variance). */
  stateArrays(): FloatArray[] { return []; }
  /** Penalty added to the loss by weight regularizers (Keras layer.losses), in float64. */
  regularizationLoss(): number { return 0; }
  /** Output activation a loss can fuse with ('softmax' + categorical cross-entropy, 'sigmoid' + binary). */
  fusableOutput(): 'softmax' | 'sigmoid' | null { return null; }
  /** The pre-activation of the last forward when fusableOutput() is not null. */
  logits(): FloatArray | null { return null; }
  /** Backward from dL/d(logits) when the loss was fused with this layer's output activation. */
  backwardFromLogits(dz: FloatArray, n: number, ctx: LayerContext, needInputGrad: boolean): FloatArray | null {
    void dz; void n; void ctx; void needInputGrad;
    throw new Error(`${this.className}: no fusable output activation`);
  }

  /** The layer's buffer `key` for batch size n (size elements), allocated on first use. */
  protected buffer(key: string, n: number, size: number): FloatArray { return this.pool.get(key, n, size, this.dtype); }

  /** Drops the per-batch-size buffers (e.g. after predicting with an unusual batch size). */
  releaseBuffers(): void { this.pool.clear(); }

  get inputSize(): number { return sizeOf(this.inputShape ?? []); }
  get outputSize(): number { return sizeOf(this.outputShape); }
}

export function checkShape(where: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isSafeInteger(d) && d > 0)) {
    throw new TypeError(`${where}: inputShape must be a non-empty array of positive integers, got ${JSON.stringify(shape)}`);
  }
  return shape.slice();
}

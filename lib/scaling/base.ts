// The shared machinery of the scalers (scikit-learn's transformer API in camelCase): input checks,
// fitted-state checks, transform = one colAffine kernel call (x − shift)·scale, inverseTransform = one
// colAffineInverse call, JSON round trip. Subclasses say how statistics are gathered and turned into
// shift/scale. Contract: with `out` (Tensor or typed-array input) transform allocates nothing.
import type { Backend, FloatArray } from '../backend/backend';
import {
  backendFor, makeResult, outputBuffer, viewInput, type MatrixView, type ScalerInput, type ScalerOutput,
} from './io';

/** A scaler serialized by toJSON(): plain JSON (numbers and arrays), loadable by fromJSON / scalerFromJSON. */
export interface ScalerJSON {
  type: string;
  version: 1;
  options: Record<string, unknown>;
  /** null when the scaler was never fitted. */
  state: Record<string, unknown> | null;
}

/** shift/scale per column in float64 (the statistics) and float32 (for float32 data). */
interface Params {
  shift64: Float64Array;
  scale64: Float64Array;
  shift32: Float32Array;
  scale32: Float32Array;
}

export abstract class Scaler {
  /** Class name used in messages and JSON ('StandardScaler', ...). */
  abstract readonly type: string;
  /** Features seen in fit (sklearn n_features_in_); null before fit. */
  nFeaturesIn: number | null = null;
  /** Rows seen by fit and partialFit since the last fit (sklearn n_samples_seen_). */
  nSamplesSeen = 0;
  private params: Params | null = null;

  /** Forgets everything learned, then learns the statistics of x. Returns this. */
  fit(x: ScalerInput): this {
    this.reset();
    const m = viewInput(`${this.type}.fit`, x);
    if (m.rows === 0) throw new RangeError(`${this.type}.fit: x has 0 rows; at least one is needed`);
    this.learn(m, `${this.type}.fit`);
    return this;
  }

  /** fit(x) then transform(x, out). */
  fitTransform<T extends ScalerInput>(x: T, out?: ScalerOutput<T>): ScalerOutput<T> {
    return this.fit(x).transform(x, out);
  }

  /** Scales x with the fitted statistics into `out` (or a new result of the same kind as x). */
  transform<T extends ScalerInput>(x: T, out?: ScalerOutput<T>): ScalerOutput<T> {
    return this.apply(`${this.type}.transform`, x, out, (be, m, buf, shift, scale) => {
      be.colAffine(m.rows, m.cols, m.data, shift, scale, buf);
      this.afterAffine(be, m.rows * m.cols, buf);
    });
  }

  /** Maps scaled values back to original units (x = y/scale + shift, after undoing any nonlinearity). */
  inverseTransform<T extends ScalerInput>(x: T, out?: ScalerOutput<T>): ScalerOutput<T> {
    return this.apply(`${this.type}.inverseTransform`, x, out, (be, m, buf, shift, scale) => {
      const src = this.beforeInverse(m.data, m.rows * m.cols, buf);
      be.colAffineInverse(m.rows, m.cols, src, shift, scale, buf);
    });
  }

  /** Checks x and out, picks the backend and the parameters of x's dtype, runs `body`, wraps the result. */
  private apply<T extends ScalerInput>(where: string, x: T, out: ScalerOutput<T> | undefined,
    body: (be: Backend, m: MatrixView, buf: FloatArray, shift: FloatArray, scale: FloatArray) => void): ScalerOutput<T> {
    const m = this.fittedView(where, x);
    const buf = outputBuffer(where, m, out);
    const [shift, scale] = this.paramsFor(m.data);
    body(backendFor(m.data), m, buf, shift, scale);
    return makeResult(m, buf, out) as ScalerOutput<T>;
  }

  toJSON(): ScalerJSON {
    const state = this.nFeaturesIn === null ? null
      : { nFeaturesIn: this.nFeaturesIn, nSamplesSeen: this.nSamplesSeen, ...this.stateJSON() };
    return { type: this.type, version: 1, options: this.optionsJSON(), state };
  }

  /** Restores the state written by toJSON (the options are the constructor's). */
  protected loadJSON(json: ScalerJSON): this {
    if (json === null || typeof json !== 'object' || json.type !== this.type || json.version !== 1) {
      throw new TypeError(`${this.type}.fromJSON: expected { type: '${this.type}', version: 1, ... }, ` +
        `got type ${JSON.stringify((json as { type?: unknown } | null)?.type)}`);
    }
    if (json.state === null) return this;
    const s = json.state;
    const n = s.nFeaturesIn;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw new RangeError(`${this.type}.fromJSON: state.nFeaturesIn must be a non-negative integer, got ${String(n)}`);
    }
    const seen = s.nSamplesSeen;
    if (typeof seen !== 'number' || !Number.isSafeInteger(seen) || seen < 1) {
      throw new RangeError(`${this.type}.fromJSON: state.nSamplesSeen must be a positive integer, got ${String(seen)}`);
    }
    this.nFeaturesIn = n;
    this.nSamplesSeen = seen;
    this.loadState(s, n);
    this.refreshParams();
    return this;
  }

  /** A per-column float array from JSON state, with its length checked. */
  protected readColumns(s: Record<string, unknown>, key: string, n: number): Float64Array {
    const v = s[key];
    if (!Array.isArray(v) || v.length !== n || !v.every((e) => typeof e === 'number')) {
      throw new TypeError(`${this.type}.fromJSON: state.${key} must be an array of ${n} numbers`);
    }
    return Float64Array.from(v as number[]);
  }

  /** Adds a batch's statistics (partialFit path); x must match nFeaturesIn when already fitted. */
  protected partialLearn(x: ScalerInput, where: string): this {
    const m = viewInput(where, x, this.nFeaturesIn ?? undefined);
    if (this.nFeaturesIn !== null) this.checkCols(where, m);
    if (m.rows === 0) return this;
    this.learn(m, where);
    return this;
  }

  private learn(m: MatrixView, where: string): void {
    this.accumulate(m, where);
    this.nFeaturesIn = m.cols;
    this.nSamplesSeen += m.rows;
    this.refreshParams();
  }

  private refreshParams(): void {
    const [shift64, scale64] = this.computeParams();
    this.params = { shift64, scale64, shift32: Float32Array.from(shift64), scale32: Float32Array.from(scale64) };
  }

  private checkCols(where: string, m: MatrixView): void {
    if (m.cols !== this.nFeaturesIn) {
      throw new RangeError(`${where}: x has ${m.cols} columns, but ${this.type} was fitted with ${this.nFeaturesIn}`);
    }
  }

  private fittedView(where: string, x: ScalerInput): MatrixView {
    if (this.nFeaturesIn === null || this.params === null) {
      throw new Error(`${where}: this ${this.type} is not fitted yet; call fit(x) first`);
    }
    const m = viewInput(where, x, this.nFeaturesIn);
    this.checkCols(where, m);
    return m;
  }

  private paramsFor(data: FloatArray): [FloatArray, FloatArray] {
    const p = this.params!;
    return data instanceof Float32Array ? [p.shift32, p.scale32] : [p.shift64, p.scale64];
  }

  /** Clears the learned statistics (fit starts from here). */
  protected reset(): void {
    this.nFeaturesIn = null;
    this.nSamplesSeen = 0;
    this.params = null;
    this.clearState();
  }

  /** Hook after the affine map in transform (SigmoidScaler applies the logistic function). */
  protected afterAffine(_be: Backend, _n: number, _out: FloatArray): void {}
  /** Hook before the inverse affine map: returns the array to invert (x itself, or out after logit). */
  protected beforeInverse(x: FloatArray, _n: number, _out: FloatArray): FloatArray {
    return x;
  }

  protected abstract accumulate(m: MatrixView, where: string): void;
  /** [shift, scale] per column so that transform is (x − shift)·scale. */
  protected abstract computeParams(): [Float64Array, Float64Array];
  protected abstract clearState(): void;
  protected abstract optionsJSON(): Record<string, unknown>;
  protected abstract stateJSON(): Record<string, unknown>;
  protected abstract loadState(s: Record<string, unknown>, n: number): void;
}

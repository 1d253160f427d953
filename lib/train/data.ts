// Input conversion and validation for fit / evaluate / predict / gradCheck: x and y as Tensors, nested
// arrays or flat typed arrays become contiguous row-major buffers of the model's dtype. Contract: every
// problem is a TypeError/RangeError naming the call, what was expected and what was given (sample
// counts, feature counts, labels out of range, NaN / Infinity in inputs). Not here: scaling, batching.
import type { FloatArray } from '../backend/backend';
import { sizeOf } from '../layers/layer';
import type { Loss } from '../losses/losses';
import { Tensor, type DType } from '../tensor';

export interface Inputs { data: FloatArray; n: number }

function alloc(dtype: DType, size: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/** Flattens x into n rows of `per` numbers; returns the flat values and the sample count. */
function flatten(where: string, name: string, v: unknown, per: number): { values: ArrayLike<number>; n: number } {
  if (v instanceof Tensor) {
    if (v.rank === 0) throw new TypeError(`${where}: ${name} must have a sample axis, got a scalar Tensor`);
    return { values: v.data, n: v.shape[0]! };
  }
  if (v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array || v instanceof Uint8Array) {
    if (v.length % per !== 0) throw new RangeError(`${where}: ${name} has ${v.length} values, not a multiple of ${per} per sample`);
    return { values: v, n: v.length / per };
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return { values: [], n: 0 };
    if (typeof v[0] === 'number') {
      if (v.length % per !== 0) throw new RangeError(`${where}: ${name} has ${v.length} values, not a multiple of ${per} per sample`);
      return { values: v as number[], n: v.length / per };
    }
    const flat = (v as unknown[]).flat(Infinity) as unknown[];
    return { values: flat as number[], n: v.length };
  }
  throw new TypeError(`${where}: ${name} must be a Tensor, a nested number array or a typed array, got ${v === null ? 'null' : typeof v}`);
}

/** x → n × prod(inputShape) buffer of `dtype`; checks the feature count and rejects NaN / Infinity. */
export function toInputs(where: string, x: unknown, inputShape: readonly number[], dtype: DType): Inputs {
  const per = sizeOf(inputShape);
  const { values, n } = flatten(where, 'x', x, per);
  if (values.length !== n * per) {
    const got = n > 0 ? values.length / n : 0;
    throw new RangeError(`${where}: x has ${got} features per sample, the model expects ${per} (inputShape [${inputShape.join(',')}])`);
  }
  const data = alloc(dtype, values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RangeError(`${where}: x[${Math.floor(i / per)}] feature ${i % per} is ${String(v)}; inputs must be finite numbers (impute or drop missing values first)`);
    }
    data[i] = v;
  }
  return { data, n };
}

/**
 * y → targets buffer: one class index per sample for sparse losses (checked integer in [0, classes)),
 * otherwise n × prod(outputShape) values. `n` is x's sample count, which y must match.
 */
export function toTargets(where: string, y: unknown, loss: Loss, outputShape: readonly number[], n: number, dtype: DType): FloatArray {
  const d = sizeOf(outputShape);
  const per = loss.sparse ? 1 : d;
  const { values, n: ny } = flatten(where, 'y', y, per);
  if (!loss.sparse && per > 1 && values.length === n && ny !== n) {
    throw new RangeError(`${where}: y has 1 value per sample, ${loss.name} expects ${per} (model output [${outputShape.join(',')}]); y looks like class labels: use loss 'sparseCategoricalCrossentropy'`);
  }
  if (ny !== n) throw new RangeError(`${where}: x has ${n} samples but y has ${ny}`);
  if (values.length !== n * per) {
    const hint = !loss.sparse && values.length === n ? ` (y looks like class labels: use loss 'sparseCategoricalCrossentropy')` : '';
    throw new RangeError(`${where}: y has ${n > 0 ? values.length / n : 0} values per sample, ${loss.name} expects ${per} (model output [${outputShape.join(',')}])${hint}`);
  }
  const out = alloc(dtype, values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${where}: y[${Math.floor(i / per)}] is ${String(v)}; targets must be finite numbers`);
    if (loss.sparse && !(Number.isInteger(v) && v >= 0 && v < d)) {
      throw new RangeError(`${where}: label y[${i}] = ${v} is out of range; expected an integer class in [0, ${d - 1}] (the model has ${d} outputs)`);
    }
    out[i] = v;
  }
  return out;
}

/** Per-sample weights from sampleWeight (length n, finite, ≥ 0) times classWeight[label]; null when neither. */
export function toSampleWeights(where: string, sampleWeight: unknown, classWeight: unknown, targets: FloatArray,
  n: number, sparse: boolean, d: number): Float64Array | null {
  if (sampleWeight === undefined && classWeight === undefined) return null;
  const w = new Float64Array(n).fill(1);
  if (sampleWeight !== undefined) {
    const { values, n: nw } = flatten(where, 'sampleWeight', sampleWeight, 1);
    if (nw !== n || values.length !== n) throw new RangeError(`${where}: sampleWeight has ${values.length} values, expected one per sample (${n})`);
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`${where}: sampleWeight[${i}] = ${v}; weights must be finite and >= 0`);
      w[i] = v;
    }
  }
  if (classWeight !== undefined) {
    if (typeof classWeight !== 'object' || classWeight === null) throw new TypeError(`${where}: classWeight must be an object { classIndex: weight }`);
    const cw = classWeight as Record<string, number>;
    for (let i = 0; i < n; i++) {
      // The class of a sample: its label, or the argmax of its one-hot row (Keras).
      let c = 0;
      if (sparse) c = targets[i]!;
      else if (d === 1) c = targets[i]! >= 0.5 ? 1 : 0;
      else for (let j = 1; j < d; j++) if (targets[i * d + j]! > targets[i * d + c]!) c = j;
      const f = cw[String(c)];
      if (f !== undefined) {
        if (!(Number.isFinite(f) && f >= 0)) throw new RangeError(`${where}: classWeight[${c}] = ${f}; weights must be finite and >= 0`);
        w[i] = w[i]! * f;
      }
    }
  }
  return w;
}

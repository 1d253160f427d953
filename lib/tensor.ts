// Tensor: a dense, contiguous, row-major float buffer (Float32Array or Float64Array) plus a shape.
// Contract: data.length === product(shape) always; shape is frozen; reshape() and row() are views that
// share data, clone() and astype() copy; fromArray() wraps a typed array without copying. Every public
// entry validates its arguments and throws TypeError/RangeError naming the method and the shapes.
// Not here: arithmetic, broadcasting, strides or autograd (layers call the Backend on .data directly).

import type { FloatArray } from './backend/backend';
import { Rng } from './rng';

export type DType = 'float32' | 'float64';

/** A number or arbitrarily nested arrays of numbers (typed arrays allowed as the innermost level). */
export type NestedArray = number | readonly NestedArray[] | FloatArray;

/** '[2,3]': the form every error message uses. */
function fmt(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'Array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

function checkRng(where: string, rng: unknown): asserts rng is Rng {
  if (!(rng instanceof Rng)) throw new TypeError(`${where}: rng must be an Rng, got ${typeName(rng)}`);
}

function checkDType(where: string, dtype: unknown): asserts dtype is DType {
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new TypeError(`${where}: dtype must be 'float32' or 'float64', got ${String(dtype)}`);
  }
}

/** Validates a shape (array of non-negative integers) and returns its element count. */
function checkShape(where: string, shape: unknown): number {
  if (!Array.isArray(shape)) throw new TypeError(`${where}: shape must be an array, got ${typeName(shape)}`);
  let size = 1;
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new RangeError(`${where}: shape[${i}] must be a non-negative integer, got ${String(d)} in shape [${shape.join(',')}]`);
    }
    size *= d;
  }
  return size;
}

function alloc(where: string, dtype: DType, n: number): FloatArray {
  if (n > Number.MAX_SAFE_INTEGER) throw new RangeError(`${where}: ${n} elements is too many`);
  return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

function dtypeOf(data: FloatArray): DType {
  return data instanceof Float32Array ? 'float32' : 'float64';
}

function isArrayish(v: unknown): v is readonly unknown[] | FloatArray {
  return Array.isArray(v) || v instanceof Float32Array || v instanceof Float64Array;
}

/** Shape of a nested array, following first elements; validated afterwards by fillNested. */
function inferShape(nested: unknown): number[] {
  const shape: number[] = [];
  let v: unknown = nested;
  while (isArrayish(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

/** Copies `v` (expected to have shape[axis:]) into out at offset; throws naming the index path. */
function fillNested(v: unknown, shape: readonly number[], axis: number, path: number[], out: FloatArray, offset: number): number {
  const at = path.length === 0 ? '' : ` at [${path.join(',')}]`;
  if (axis === shape.length) {
    if (typeof v !== 'number') throw new TypeError(`Tensor.from: expected a number${at}, got ${typeName(v)}`);
    out[offset] = v;
    return offset + 1;
  }
  const expected = shape[axis]!;
  if (!isArrayish(v)) {
    throw new TypeError(`Tensor.from: expected an array of length ${expected}${at}, got ${typeName(v)}`);
  }
  if (v.length !== expected) {
    throw new RangeError(`Tensor.from: ragged nested array${at}: length ${v.length}, expected ${expected}`);
  }
  for (let i = 0; i < expected; i++) {
    path.push(i);
    offset = fillNested(v[i], shape, axis + 1, path, out, offset);
    path.pop();
  }
  return offset;
}

function toNested(data: FloatArray, shape: readonly number[], axis: number, offset: number, stride: number): NestedArray {
  if (axis === shape.length) return data[offset]!;
  const n = shape[axis]!;
  const inner = n === 0 ? 0 : stride / n;
  const out: NestedArray[] = [];
  for (let i = 0; i < n; i++) out.push(toNested(data, shape, axis + 1, offset + i * inner, inner));
  return out;
}

/** Short number formatting for toString(): 6 significant digits, no trailing zeros. */
function num(v: number): string {
  return Number.isFinite(v) && v !== 0 ? String(Number(v.toPrecision(6))) : String(v);
}

/** Values printed in full up to this many elements; larger tensors print a prefix. */
const PRINT_LIMIT = 100;

export class Tensor {
  readonly data: FloatArray;
  /** Frozen copy of the shape given to the constructor. */
  readonly shape: readonly number[];
  readonly dtype: DType;

  /** Wraps `data` (not copied) as a tensor of `shape`; data.length must equal the product of shape. */
  constructor(data: FloatArray, shape: readonly number[]) {
    if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
      throw new TypeError(`Tensor: data must be a Float32Array or Float64Array, got ${typeName(data)}`);
    }
    const size = checkShape('Tensor', shape);
    if (data.length !== size) {
      throw new RangeError(`Tensor: data.length ${data.length} does not match shape ${fmt(shape)} (${size} elements)`);
    }
    this.data = data;
    this.shape = Object.freeze(shape.slice());
    this.dtype = dtypeOf(data);
  }

  /** Number of elements (product of shape; 1 for rank 0). */
  get size(): number {
    return this.data.length;
  }

  /** Number of axes. */
  get rank(): number {
    return this.shape.length;
  }

  /**
   * From a flat array. A Float32Array/Float64Array is wrapped WITHOUT copying (writes show through both
   * ways); `dtype`, if given, must match it. A number[] is copied into a new array of `dtype`
   * (default 'float32'). `shape` defaults to [data.length].
   */
  static fromArray(data: readonly number[] | FloatArray, shape?: readonly number[], dtype?: DType): Tensor {
    const sh = shape ?? [data.length];
    if (data instanceof Float32Array || data instanceof Float64Array) {
      if (dtype !== undefined) {
        checkDType('Tensor.fromArray', dtype);
        if (dtype !== dtypeOf(data)) {
          throw new TypeError(`Tensor.fromArray: dtype '${dtype}' does not match data (${typeName(data)}); use .astype()`);
        }
      }
      return new Tensor(data, sh);
    }
    if (!Array.isArray(data)) {
      throw new TypeError(`Tensor.fromArray: data must be a number[], Float32Array or Float64Array, got ${typeName(data)}`);
    }
    const dt = dtype ?? 'float32';
    checkDType('Tensor.fromArray', dt);
    const out = alloc('Tensor.fromArray', dt, data.length);
    for (let i = 0; i < data.length; i++) {
      const v: unknown = data[i];
      if (typeof v !== 'number') throw new TypeError(`Tensor.fromArray: data[${i}] must be a number, got ${typeName(v)}`);
      out[i] = v;
    }
    return new Tensor(out, sh);
  }

  /**
   * From nested arrays (copied), shape inferred: Tensor.from([[1, 2, 3], [4, 5, 6]]) has shape [2,3];
   * a bare number gives rank 0. Ragged or mixed nesting throws naming the index path.
   */
  static from(nested: NestedArray, dtype: DType = 'float32'): Tensor {
    checkDType('Tensor.from', dtype);
    const shape = inferShape(nested);
    const size = shape.reduce((a, b) => a * b, 1);
    const out = alloc('Tensor.from', dtype, size);
    fillNested(nested, shape, 0, [], out, 0);
    return new Tensor(out, shape);
  }

  static zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkDType('Tensor.zeros', dtype);
    return new Tensor(alloc('Tensor.zeros', dtype, checkShape('Tensor.zeros', shape)), shape);
  }

  static ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    return Tensor.full(shape, 1, dtype);
  }

  /** Every element = value (NaN and ±Infinity allowed: they are data). */
  static full(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
    checkDType('Tensor.full', dtype);
    if (typeof value !== 'number') throw new TypeError(`Tensor.full: value must be a number, got ${typeName(value)}`);
    const data = alloc('Tensor.full', dtype, checkShape('Tensor.full', shape));
    data.fill(value);
    return new Tensor(data, shape);
  }

  /** Standard normal draws from `rng` (Rng.fillNormal), in row-major order. */
  static randn(shape: readonly number[], rng: Rng, dtype: DType = 'float32'): Tensor {
    checkRng('Tensor.randn', rng);
    const t = Tensor.zeros(shape, dtype);
    rng.fillNormal(t.data, 0, 1);
    return t;
  }

  /** Uniform draws in [lo, hi) from `rng` (Rng.fillUniform), in row-major order. */
  static uniform(shape: readonly number[], lo: number, hi: number, rng: Rng, dtype: DType = 'float32'): Tensor {
    checkRng('Tensor.uniform', rng);
    const t = Tensor.zeros(shape, dtype);
    rng.fillUniform(t.data, lo, hi);
    return t;
  }

  /** Throws RangeError `name: shape [2,3] does not match [3,2]` unless a and b have equal shapes. */
  static assertSameShape(name: string, a: Tensor, b: Tensor): void {
    if (!a.equalShape(b)) throw new RangeError(`${name}: shape ${fmt(a.shape)} does not match ${fmt(b.shape)}`);
  }

  /**
   * A VIEW with a new shape sharing this tensor's data (writes show through). One entry may be −1,
   * inferred from the others (not allowed when the others multiply to 0, where it would be ambiguous).
   */
  reshape(shape: readonly number[]): Tensor {
    if (!Array.isArray(shape)) throw new TypeError(`Tensor.reshape: shape must be an array, got ${typeName(shape)}`);
    let inferAt = -1;
    let known = 1;
    for (let i = 0; i < shape.length; i++) {
      const d: unknown = shape[i];
      if (d === -1 && inferAt === -1) {
        inferAt = i;
        continue;
      }
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
        throw new RangeError(`Tensor.reshape: shape[${i}] must be a non-negative integer (or one -1), got ${String(d)} in ${fmt(shape)}`);
      }
      known *= d;
    }
    const full = shape.slice();
    if (inferAt >= 0) {
      if (known === 0 || this.size % known !== 0) {
        throw new RangeError(`Tensor.reshape: cannot reshape ${fmt(this.shape)} (${this.size} elements) to ${fmt(shape)}`);
      }
      full[inferAt] = this.size / known;
    } else if (known !== this.size) {
      throw new RangeError(`Tensor.reshape: cannot reshape ${fmt(this.shape)} (${this.size} elements) to ${fmt(shape)} (${known} elements)`);
    }
    return new Tensor(this.data, full);
  }

  /** Nested plain arrays (a copy); a number for rank 0. */
  toArray(): NestedArray {
    return toNested(this.data, this.shape, 0, 0, this.size);
  }

  /**
   * A VIEW of row i along axis 0: data.subarray of this tensor's buffer, shape = shape.slice(1).
   * Writes to the row show in this tensor. Copy with .clone() if needed.
   */
  row(i: number): Tensor {
    if (this.rank === 0) throw new RangeError('Tensor.row: rank-0 tensor has no rows');
    this.checkIndex('Tensor.row', 0, i);
    const n = this.shape[0]!;
    const stride = n === 0 ? 0 : this.size / n;
    return new Tensor(this.data.subarray(i * stride, (i + 1) * stride), this.shape.slice(1));
  }

  /** The element at (i0, i1, ...): one index per axis, each in [0, shape[axis]). */
  get(...indices: number[]): number {
    return this.data[this.offset('Tensor.get', indices)]!;
  }

  /** Writes value at (i0, i1, ...) (rounded to float32 for float32 tensors). */
  set(value: number, ...indices: number[]): void {
    if (typeof value !== 'number') throw new TypeError(`Tensor.set: value must be a number, got ${typeName(value)}`);
    this.data[this.offset('Tensor.set', indices)] = value;
  }

  /** A copy with its own buffer, same dtype and shape. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  /** A copy converted to `dtype` (always a new buffer, even for the same dtype). */
  astype(dtype: DType): Tensor {
    checkDType('Tensor.astype', dtype);
    const out = alloc('Tensor.astype', dtype, this.size);
    out.set(this.data);
    return new Tensor(out, this.shape);
  }

  equalShape(other: Tensor): boolean {
    const a = this.shape;
    const b = other.shape;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** `Tensor(float32 [2,3]) [[1, 2, 3], [4, 5, 6]]`; beyond 100 elements only a flat prefix is shown. */
  toString(): string {
    const head = `Tensor(${this.dtype} ${fmt(this.shape)})`;
    if (this.size > PRINT_LIMIT) {
      const prefix = Array.from(this.data.subarray(0, 6), num).join(', ');
      return `${head} [${prefix}, ... ${this.size - 6} more]`;
    }
    const show = (v: NestedArray): string =>
      typeof v === 'number' ? num(v) : `[${Array.from(v as ArrayLike<NestedArray>, show).join(', ')}]`;
    return `${head} ${show(this.toArray())}`;
  }

  private checkIndex(where: string, axis: number, i: unknown): asserts i is number {
    const n = this.shape[axis]!;
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= n) {
      throw new RangeError(`${where}: index ${String(i)} out of range for axis ${axis} of size ${n} (shape ${fmt(this.shape)})`);
    }
  }

  /** Row-major flat offset of a full index, validated. */
  private offset(where: string, indices: readonly number[]): number {
    if (indices.length !== this.rank) {
      throw new RangeError(`${where}: got ${indices.length} indices for a rank-${this.rank} tensor of shape ${fmt(this.shape)}`);
    }
    let off = 0;
    for (let axis = 0; axis < indices.length; axis++) {
      const i = indices[axis];
      this.checkIndex(where, axis, i);
      off = off * this.shape[axis]! + i;
    }
    return off;
  }
}

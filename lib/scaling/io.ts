// Input and output adapters shared by the scalers: any accepted input viewed as a row-major rows×cols
// matrix over a Float32Array/Float64Array (no copy for Tensor and typed arrays), the kernel backend
// that can run it, and a result of the same kind as the input (written into `out` when given).
// Not here: statistics (the scalers) or kernels (lib/backend).
import type { Backend, FloatArray } from '../backend/backend';
import { backend, backends } from '../backend/select';
import { Tensor } from '../tensor';

/**
 * What a scaler accepts: a Tensor (last axis = features: [n, d], or [n] as one column, or [..., d]),
 * nested rows (`number[][]`), one column (`number[]`, e.g. labels), or a flat row-major typed array
 * (one column in fit; nFeaturesIn columns once fitted).
 */
export type ScalerInput = Tensor | readonly (readonly number[])[] | readonly number[] | Float32Array | Float64Array;

/** The result type for an input type: output type follows input. */
export type ScalerOutput<T> = T extends Tensor ? Tensor : T extends Float32Array ? Float32Array
  : T extends Float64Array ? Float64Array : T extends readonly (readonly number[])[] ? number[][] : number[];

export type InputKind = 'tensor' | 'nested' | 'column' | 'typed';

/** A row-major view of an input. */
export interface MatrixView {
  data: FloatArray;
  rows: number;
  cols: number;
  kind: InputKind;
  input: ScalerInput;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return (v as { constructor?: { name?: string } }).constructor?.name ?? 'object';
}

/** Nested rows → Float64Array (exact for JS numbers); ragged rows or non-numbers are errors naming the row. */
function fromNested(where: string, x: readonly (readonly number[])[]): MatrixView {
  const rows = x.length, cols = rows > 0 ? x[0]!.length : 0;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = x[i];
    if (!Array.isArray(row)) throw new TypeError(`${where}: x[${i}] must be an array of numbers, got ${describe(row)}`);
    if (row.length !== cols) {
      throw new RangeError(`${where}: x[${i}] has ${row.length} columns, but x[0] has ${cols} (rows must have equal length)`);
    }
    for (let j = 0; j < cols; j++) {
      const v: unknown = row[j];
      if (typeof v !== 'number') throw new TypeError(`${where}: x[${i}][${j}] must be a number, got ${describe(v)}`);
      data[i * cols + j] = v;
    }
  }
  return { data, rows, cols, kind: 'nested', input: x };
}

/**
 * Views `x` as a matrix. `cols` is the fitted feature count for flat typed arrays (undefined in fit:
 * one column). Throws TypeError for unsupported inputs.
 */
export function viewInput(where: string, x: ScalerInput, cols?: number): MatrixView {
  if (x instanceof Tensor) {
    const shape = x.shape;
    const c = shape.length === 0 ? 1 : shape.length === 1 ? 1 : shape[shape.length - 1]!;
    return { data: x.data, rows: c === 0 ? 0 : x.size / c, cols: c, kind: 'tensor', input: x };
  }
  if (x instanceof Float32Array || x instanceof Float64Array) {
    const c = cols ?? 1;
    if (c > 0 && x.length % c !== 0) {
      throw new RangeError(`${where}: x.length ${x.length} is not a multiple of the ${c} fitted columns`);
    }
    return { data: x, rows: c === 0 ? 0 : x.length / c, cols: c, kind: 'typed', input: x };
  }
  if (Array.isArray(x)) {
    if (x.length > 0 && Array.isArray(x[0])) return fromNested(where, x as readonly (readonly number[])[]);
    const data = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const v: unknown = x[i];
      if (typeof v !== 'number') throw new TypeError(`${where}: x[${i}] must be a number or an array, got ${describe(v)}`);
      data[i] = v;
    }
    return { data, rows: x.length, cols: 1, kind: 'column', input: x };
  }
  throw new TypeError(`${where}: x must be a Tensor, number[][], number[], Float32Array or Float64Array, got ${describe(x)}`);
}

/** The backend that runs kernels on `data`: the active one for float32, the reference one for float64. */
export function backendFor(data: FloatArray): Backend {
  return data instanceof Float32Array ? backend() : backends.reference;
}

/**
 * Where the result goes: `out` (checked: same kind, dtype and size as x; nothing allocated) or a new
 * array of x's element type. Nested and column inputs compute in a Float64Array and are copied out.
 */
export function outputBuffer(where: string, m: MatrixView, out: unknown): FloatArray {
  const n = m.rows * m.cols;
  if (out === undefined) return m.data instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  if (m.kind === 'nested' || m.kind === 'column') {
    if (!Array.isArray(out)) throw new TypeError(`${where}: out must be an array like x, got ${describe(out)}`);
    return new Float64Array(n); // copied into out by makeResult
  }
  if (m.kind === 'tensor' && !(out instanceof Tensor)) throw new TypeError(`${where}: out must be a Tensor like x, got ${describe(out)}`);
  const data: unknown = out instanceof Tensor ? out.data : out;
  if (!(data instanceof Float32Array || data instanceof Float64Array)) {
    throw new TypeError(`${where}: out must be a typed array like x, got ${describe(out)}`);
  }
  if (data.constructor !== m.data.constructor) {
    throw new TypeError(`${where}: out must be a ${m.data.constructor.name} like x, got ${data.constructor.name}`);
  }
  if (data.length !== n) throw new RangeError(`${where}: out has ${data.length} elements, x has ${n}`);
  return data;
}

/** The result in the input's kind: the out object itself when given, else a new Tensor / array. */
export function makeResult(m: MatrixView, buf: FloatArray, out: unknown): ScalerInput {
  if (m.kind === 'tensor') return out instanceof Tensor ? out : new Tensor(buf, (m.input as Tensor).shape);
  if (m.kind === 'typed') return buf;
  if (m.kind === 'column') {
    const res = (Array.isArray(out) ? out : new Array<number>(m.rows)) as number[];
    for (let i = 0; i < m.rows; i++) res[i] = buf[i]!;
    return res;
  }
  const res = (Array.isArray(out) ? out : []) as number[][];
  for (let i = 0; i < m.rows; i++) {
    const row = res[i] ?? (res[i] = new Array<number>(m.cols));
    for (let j = 0; j < m.cols; j++) row[j] = buf[i * m.cols + j]!;
  }
  return res;
}

/** First NaN or ±Infinity in x as an error naming row and column, or null if all finite. */
export function findNonFinite(where: string, m: MatrixView, colsToScan?: readonly number[]): RangeError | null {
  const cols = colsToScan ?? Array.from({ length: m.cols }, (_, j) => j);
  for (let i = 0; i < m.rows; i++) {
    for (const j of cols) {
      const v = m.data[i * m.cols + j]!;
      if (!Number.isFinite(v)) {
        return new RangeError(`${where}: x has ${v} at row ${i}, column ${j}; ` +
          'scalers are fitted on finite data (remove or impute NaN/Infinity first)');
      }
    }
  }
  return null;
}

// Argument validators for every Backend kernel; both backends call them before touching memory.
// Contract: `import * as check from './check'`; check.<kernel>(...) takes exactly the kernel's parameters
// and throws TypeError (wrong type) or RangeError (bad size, short array, non-finite scalar, forbidden
// overlap) naming kernel, argument, expected and actual value. Happy path: no allocation, no strings.
// Not here: NaN/Inf inside arrays (data, not errors), dtype limits of one backend (checkFloat32Array helps).

import { ACTIVATIONS, type Activation, type Backend, type FloatArray } from './backend';
import type { NormKernels } from './kernels_norm';
import type { OptimKernels } from './kernels_optim';

/** The kernels of Backend (everything except its identity fields). */
export type KernelName = Exclude<keyof Backend, 'name' | 'isa'>;
/**
 * One validator per kernel of this file, with the kernel's own signature: the compiler keeps them in
 * step. Kernel families validate in check_<family>.ts, each with its own typed table (normChecks,
 * optimChecks).
 */
export type Checks = Pick<Backend, Exclude<KernelName, keyof NormKernels | keyof OptimKernels>>;

/** A readable type name for error messages: 'null', 'undefined', 'number', 'Array', 'Int32Array', ... */
export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  const ctor = (v as { constructor?: { name?: unknown } }).constructor;
  return ctor !== undefined && typeof ctor.name === 'string' && ctor.name !== '' ? ctor.name : 'object';
}

function describeValue(v: unknown): string {
  return typeof v === 'number' ? String(v) : describeType(v);
}

/** v must be a Float32Array or Float64Array (TypeError). */
export function checkFloatArray(kernel: string, name: string, v: unknown): asserts v is FloatArray {
  if (!(v instanceof Float32Array) && !(v instanceof Float64Array)) {
    throw new TypeError(`${kernel}: ${name} must be a Float32Array or Float64Array, got ${describeType(v)}`);
  }
}

/** v must be null or a Float32Array or Float64Array (TypeError). */
export function checkFloatArrayOrNull(kernel: string, name: string, v: unknown): asserts v is FloatArray | null {
  if (v !== null && !(v instanceof Float32Array) && !(v instanceof Float64Array)) {
    throw new TypeError(`${kernel}: ${name} must be null or a Float32Array or Float64Array, got ${describeType(v)}`);
  }
}

/** v must be a Float32Array (TypeError); for backends that only take float32 (the native one). */
export function checkFloat32Array(kernel: string, name: string, v: unknown): asserts v is Float32Array {
  if (!(v instanceof Float32Array)) {
    throw new TypeError(`${kernel}: ${name} must be a Float32Array, got ${describeType(v)}`);
  }
}

/** v must be a boolean (TypeError). */
export function checkBool(kernel: string, name: string, v: unknown): asserts v is boolean {
  if (typeof v !== 'boolean') {
    throw new TypeError(`${kernel}: ${name} must be a boolean, got ${describeValue(v)}`);
  }
}

/** A size or stride: TypeError if not a number, RangeError unless a non-negative safe integer. */
export function checkDim(kernel: string, name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number') {
    throw new TypeError(`${kernel}: ${name} must be a non-negative integer, got ${describeType(v)}`);
  }
  if (!Number.isSafeInteger(v) || v < 0) {
    const why = Number.isInteger(v) && v > 0 ? ' (above Number.MAX_SAFE_INTEGER)' : '';
    throw new RangeError(`${kernel}: ${name} must be a non-negative integer, got ${v}${why}`);
  }
}

/** A scalar: TypeError if not a number, RangeError if NaN or ±Infinity. */
export function checkFinite(kernel: string, name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number') {
    throw new TypeError(`${kernel}: ${name} must be a finite number, got ${describeType(v)}`);
  }
  if (!Number.isFinite(v)) {
    throw new RangeError(`${kernel}: ${name} must be a finite number, got ${v}`);
  }
}

/** act must be one of ACTIVATIONS (TypeError listing them). */
export function checkActivation(kernel: string, name: string, v: unknown): asserts v is Activation {
  if (typeof v !== 'string' || !(ACTIVATIONS as readonly string[]).includes(v)) {
    const got = typeof v === 'string' ? `'${v}'` : describeValue(v);
    const list = ACTIVATIONS.map((a) => `'${a}'`).join(', ');
    throw new TypeError(`${kernel}: ${name} must be one of ${list}, got ${got}`);
  }
}

/**
 * actParam: a finite number for every activation; for 'leakyRelu' also ≥ 0 (the negative slope).
 * Slope ≥ 0 is required because the backward pass reads the output y (Keras convention): y > 0 exactly
 * when x > 0 only if the slope is non-negative.
 */
export function checkActParam(kernel: string, name: string, act: Activation, v: unknown): asserts v is number {
  checkFinite(kernel, name, v);
  if (act === 'leakyRelu' && v < 0) {
    throw new RangeError(`${kernel}: ${name} (leakyRelu negative slope) must be >= 0, got ${v}` +
      ' (the backward pass is computed from the output y, valid only for slope >= 0)');
  }
}

/** arr.length ≥ required, else RangeError `kernel: name.length L < formula = required`. */
export function checkLength(kernel: string, name: string, arr: FloatArray, required: number, formula: string): void {
  if (arr.length < required) {
    throw new RangeError(`${kernel}: ${name}.length ${arr.length} < ${formula} = ${required}`);
  }
}

/** Elements a rows×cols matrix with row stride ld spans: (rows−1)·ld + cols, or 0 when empty. */
export function matrixExtent(rows: number, cols: number, ld: number): number {
  return rows > 0 && cols > 0 ? (rows - 1) * ld + cols : 0;
}

/**
 * A stored row-major matrix `label` (rows×cols, argument `name`, stride `ldName` = ld): BLAS rule
 * ld ≥ max(1, cols), then length ≥ extent. `rowsName`/`colsName` are the dimension names used in the
 * tight-case message (`a.length 12 < m*k = 15`); `ldNote` explains where cols comes from.
 */
export function checkMatrix(kernel: string, name: string, arr: FloatArray, label: string,
  rows: number, rowsName: string, cols: number, colsName: string,
  ld: number, ldName: string, ldNote: string): void {
  if (ld < cols || ld < 1) {
    const need = cols > 1 ? cols : 1;
    throw new RangeError(`${kernel}: ${ldName} ${ld} < ${need} (columns of ${label}${ldNote})`);
  }
  const required = matrixExtent(rows, cols, ld);
  if (arr.length < required) {
    const formula = ld === cols
      ? `${rowsName}*${colsName}`
      : `(rows-1)*${ldName} + cols`;
    const shape = ld === cols ? '' : ` (${label} is ${rows}×${cols}, ${ldName}=${ld})`;
    throw new RangeError(`${kernel}: ${name}.length ${arr.length} < ${formula} = ${required}${shape}`);
  }
}

/** Byte range [start, end) of the first `count` elements of arr inside its ArrayBuffer. */
function byteRange(arr: FloatArray, count: number): [number, number] {
  return [arr.byteOffset, arr.byteOffset + count * arr.BYTES_PER_ELEMENT];
}

function overlaps(a: FloatArray, countA: number, b: FloatArray, countB: number): boolean {
  if (countA === 0 || countB === 0 || a.buffer !== b.buffer) return false;
  const startA = a.byteOffset;
  const startB = b.byteOffset;
  return startA < startB + countB * b.BYTES_PER_ELEMENT && startB < startA + countA * a.BYTES_PER_ELEMENT;
}

function overlapError(kernel: string, nameA: string, a: FloatArray, countA: number,
  nameB: string, b: FloatArray, countB: number, rule: string): RangeError {
  const [a0, a1] = byteRange(a, countA);
  const [b0, b1] = byteRange(b, countB);
  return new RangeError(`${kernel}: ${nameA} must not ${rule} ${nameB}: they share an ArrayBuffer and ` +
    `bytes [${a0}, ${a1}) of ${nameA} overlap bytes [${b0}, ${b1}) of ${nameB}`);
}

/**
 * The first countA elements of a and the first countB of b must not share memory (RangeError naming
 * both). For outputs that are written while the input is still being read (sgemm's C vs A and B).
 */
export function checkDisjoint(kernel: string, nameA: string, a: FloatArray, countA: number,
  nameB: string, b: FloatArray, countB: number): void {
  if (overlaps(a, countA, b, countB)) {
    throw overlapError(kernel, nameA, a, countA, nameB, b, countB, 'overlap');
  }
}

/**
 * Elementwise output `out` may be exactly the input (same buffer, offset and element type) or
 * disjoint from it; a shifted or re-typed overlap is a RangeError (results would depend on loop order).
 */
export function checkSameOrDisjoint(kernel: string, outName: string, out: FloatArray, countOut: number,
  inName: string, inp: FloatArray, countIn: number): void {
  if (!overlaps(out, countOut, inp, countIn)) return;
  if (out.byteOffset === inp.byteOffset && out.BYTES_PER_ELEMENT === inp.BYTES_PER_ELEMENT) return;
  throw overlapError(kernel, outName, out, countOut, inName, inp, countIn, 'partially overlap (only exact aliasing is allowed)');
}

// ---- per-kernel validators (same parameters as the Backend methods) ----

/** Shared by sgemm and sgemmBiasAct: flags, sizes, the three matrices, and C disjoint from A and B. */
function checkGemmOperands(kernel: string, transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: FloatArray, lda: number, b: FloatArray, ldb: number, c: FloatArray, ldc: number): void {
  checkBool(kernel, 'transA', transA);
  checkBool(kernel, 'transB', transB);
  checkDim(kernel, 'm', m);
  checkDim(kernel, 'n', n);
  checkDim(kernel, 'k', k);
  checkFloatArray(kernel, 'a', a);
  checkFloatArray(kernel, 'b', b);
  checkFloatArray(kernel, 'c', c);
  checkDim(kernel, 'lda', lda);
  checkDim(kernel, 'ldb', ldb);
  checkDim(kernel, 'ldc', ldc);
  // Stored A is m×k, or k×m when transA; stored B is k×n, or n×k when transB.
  if (transA) checkMatrix(kernel, 'a', a, 'A', k, 'k', m, 'm', lda, 'lda', ', transA=true');
  else checkMatrix(kernel, 'a', a, 'A', m, 'm', k, 'k', lda, 'lda', ', transA=false');
  if (transB) checkMatrix(kernel, 'b', b, 'B', n, 'n', k, 'k', ldb, 'ldb', ', transB=true');
  else checkMatrix(kernel, 'b', b, 'B', k, 'k', n, 'n', ldb, 'ldb', ', transB=false');
  checkMatrix(kernel, 'c', c, 'C', m, 'm', n, 'n', ldc, 'ldc', '');
  const extentC = matrixExtent(m, n, ldc);
  checkDisjoint(kernel, 'c', c, extentC, 'a', a, transA ? matrixExtent(k, m, lda) : matrixExtent(m, k, lda));
  checkDisjoint(kernel, 'c', c, extentC, 'b', b, transB ? matrixExtent(n, k, ldb) : matrixExtent(k, n, ldb));
}

export function sgemm(transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, a: FloatArray, lda: number, b: FloatArray, ldb: number,
  beta: number, c: FloatArray, ldc: number): void {
  checkFinite('sgemm', 'alpha', alpha);
  checkFinite('sgemm', 'beta', beta);
  checkGemmOperands('sgemm', transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
}

export function sgemmBiasAct(transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: FloatArray, lda: number, b: FloatArray, ldb: number,
  bias: FloatArray | null, act: Activation, actParam: number, c: FloatArray, ldc: number): void {
  const kernel = 'sgemmBiasAct';
  checkActivation(kernel, 'act', act);
  checkActParam(kernel, 'actParam', act, actParam);
  checkGemmOperands(kernel, transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
  checkFloatArrayOrNull(kernel, 'bias', bias);
  if (bias !== null) {
    checkLength(kernel, 'bias', bias, n, 'n');
    // Bias is re-read for every row of C, so writing C must not change it.
    checkDisjoint(kernel, 'c', c, matrixExtent(m, n, ldc), 'bias', bias, m > 0 ? n : 0);
  }
}

/** n, then each listed vector length ≥ n. Shared by the elementwise kernels. */
function checkVector(kernel: string, name: string, v: unknown, n: number): asserts v is FloatArray {
  checkFloatArray(kernel, name, v);
  checkLength(kernel, name, v, n, 'n');
}

export function axpy(n: number, alpha: number, x: FloatArray, y: FloatArray): void {
  checkDim('axpy', 'n', n);
  checkFinite('axpy', 'alpha', alpha);
  checkVector('axpy', 'x', x, n);
  checkVector('axpy', 'y', y, n);
  checkSameOrDisjoint('axpy', 'y', y, n, 'x', x, n);
}

export function scale(n: number, alpha: number, x: FloatArray, out: FloatArray): void {
  checkDim('scale', 'n', n);
  checkFinite('scale', 'alpha', alpha);
  checkVector('scale', 'x', x, n);
  checkVector('scale', 'out', out, n);
  checkSameOrDisjoint('scale', 'out', out, n, 'x', x, n);
}

/** add and mul share one shape: out ← a ∘ b over n elements. */
function checkBinary(kernel: string, n: number, a: FloatArray, b: FloatArray, out: FloatArray): void {
  checkDim(kernel, 'n', n);
  checkVector(kernel, 'a', a, n);
  checkVector(kernel, 'b', b, n);
  checkVector(kernel, 'out', out, n);
  checkSameOrDisjoint(kernel, 'out', out, n, 'a', a, n);
  checkSameOrDisjoint(kernel, 'out', out, n, 'b', b, n);
}

export function add(n: number, a: FloatArray, b: FloatArray, out: FloatArray): void {
  checkBinary('add', n, a, b, out);
}

export function mul(n: number, a: FloatArray, b: FloatArray, out: FloatArray): void {
  checkBinary('mul', n, a, b, out);
}

export function biasAdd(rows: number, cols: number, x: FloatArray, bias: FloatArray, out: FloatArray): void {
  const kernel = 'biasAdd';
  checkDim(kernel, 'rows', rows);
  checkDim(kernel, 'cols', cols);
  checkFloatArray(kernel, 'x', x);
  checkFloatArray(kernel, 'bias', bias);
  checkFloatArray(kernel, 'out', out);
  const size = rows * cols;
  checkLength(kernel, 'x', x, size, 'rows*cols');
  checkLength(kernel, 'bias', bias, cols, 'cols');
  checkLength(kernel, 'out', out, size, 'rows*cols');
  checkSameOrDisjoint(kernel, 'out', out, size, 'x', x, size);
  checkDisjoint(kernel, 'out', out, size, 'bias', bias, rows > 0 ? cols : 0);
}

export function colSum(rows: number, cols: number, alpha: number, x: FloatArray, beta: number, out: FloatArray): void {
  const kernel = 'colSum';
  checkDim(kernel, 'rows', rows);
  checkDim(kernel, 'cols', cols);
  checkFinite(kernel, 'alpha', alpha);
  checkFinite(kernel, 'beta', beta);
  checkFloatArray(kernel, 'x', x);
  checkFloatArray(kernel, 'out', out);
  checkLength(kernel, 'x', x, rows * cols, 'rows*cols');
  checkLength(kernel, 'out', out, cols, 'cols');
  checkDisjoint(kernel, 'out', out, cols, 'x', x, rows * cols);
}

export function activationForward(act: Activation, actParam: number, n: number, x: FloatArray, out: FloatArray): void {
  const kernel = 'activationForward';
  checkActivation(kernel, 'act', act);
  checkActParam(kernel, 'actParam', act, actParam);
  checkDim(kernel, 'n', n);
  checkVector(kernel, 'x', x, n);
  checkVector(kernel, 'out', out, n);
  checkSameOrDisjoint(kernel, 'out', out, n, 'x', x, n);
}

/** The input activationBackward reads: y (output) for relu-family/sigmoid/tanh, x for gelu, none for 'none'. */
export function backwardInput(act: Activation): 'x' | 'y' | null {
  return act === 'none' ? null : act === 'gelu' ? 'x' : 'y';
}

export function activationBackward(act: Activation, actParam: number, n: number,
  x: FloatArray | null, y: FloatArray | null, dy: FloatArray, dx: FloatArray): void {
  const kernel = 'activationBackward';
  checkActivation(kernel, 'act', act);
  checkActParam(kernel, 'actParam', act, actParam);
  checkDim(kernel, 'n', n);
  checkFloatArrayOrNull(kernel, 'x', x);
  checkFloatArrayOrNull(kernel, 'y', y);
  const need = backwardInput(act);
  const input = need === 'x' ? x : need === 'y' ? y : null;
  if (need !== null && input === null) {
    const what = need === 'x' ? 'the activation input x' : 'the activation output y';
    throw new TypeError(`${kernel}: ${need} must be a Float32Array or Float64Array for act '${act}' ` +
      `(its gradient is computed from ${what}), got null`);
  }
  checkVector(kernel, 'dy', dy, n);
  checkVector(kernel, 'dx', dx, n);
  checkSameOrDisjoint(kernel, 'dx', dx, n, 'dy', dy, n);
  if (need !== null && input !== null) {
    checkLength(kernel, need, input, n, 'n');
    checkSameOrDisjoint(kernel, 'dx', dx, n, need, input, n);
  }
}

/**
 * The per-kernel validators above, gathered and typed against Backend so that a kernel added to the
 * interface without a validator (or with different parameters) fails to compile.
 */
export const checks: Checks = {
  sgemm, sgemmBiasAct, axpy, scale, add, mul, biasAdd, colSum, activationForward, activationBackward,
};

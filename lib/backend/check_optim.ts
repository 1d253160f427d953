// Argument validators for the optimizer kernels (kernels_optim.ts); both backends call them first.
// Contract: lists are Arrays of FloatArray of one length per tensor (params[i].length), the state lists a
// family's flags need are present, hyperparameters finite, and no array that is written (params, state)
// shares memory with any other array of the call, in any tensor; grads, only read, may share memory among
// themselves. Runs on every step, so the happy path allocates nothing (names are built only on failure).
// Not here: option ranges (lib/optim/options.ts).
import type { FloatArray } from './backend';
import { checkBool, checkDisjoint, checkFinite, checkFloatArray, describeType } from './check';
import type { AdagradHyper, AdamHyper, OptimKernels, RmspropHyper, SgdHyper } from './kernels_optim';

function checkList(kernel: string, name: string, list: unknown, count: number): asserts list is FloatArray[] {
  if (!Array.isArray(list)) {
    throw new TypeError(`${kernel}: ${name} must be an Array of Float32Array or Float64Array, got ${describeType(list)}`);
  }
  if (list.length !== count) {
    throw new RangeError(`${kernel}: ${name} has ${list.length} tensors, params has ${count}`);
  }
}

function checkHyper(kernel: string, h: unknown, numbers: readonly string[], flags: readonly string[]): void {
  if (typeof h !== 'object' || h === null) throw new TypeError(`${kernel}: h must be an object, got ${describeType(h)}`);
  const o = h as Record<string, unknown>;
  for (const k of numbers) checkFinite(kernel, `h.${k}`, o[k]);
  for (const k of flags) checkBool(kernel, `h.${k}`, o[k]);
}

// ---- aliasing across the whole call: every array's byte range, sorted by (buffer, start) ----
// Reused between calls (grown when needed); entry e is list L = eList[e] (0 params, 1 grads, 2.. states)
// at tensor eTensor[e]. `order` keeps the previous call's sorted permutation, so the insertion sort is
// linear when the layout repeats (every optimizer step).
const bufferIds = new WeakMap<object, number>();
let nextBufferId = 1;
let eKey = new Float64Array(64);    // buffer id
let eStart = new Float64Array(64);  // byte range [start, end)
let eEnd = new Float64Array(64);
let eList = new Uint8Array(64);
let eTensor = new Uint32Array(64);
let order = new Uint32Array(64);
let orderCount = -1;

function bufferId(a: FloatArray): number {
  const b = a.buffer as object;
  let id = bufferIds.get(b);
  if (id === undefined) {
    id = nextBufferId++;
    bufferIds.set(b, id);
  }
  return id;
}

function reserve(n: number): void {
  if (n <= eKey.length) return;
  const cap = Math.max(n, eKey.length * 2);
  eKey = new Float64Array(cap); eStart = new Float64Array(cap); eEnd = new Float64Array(cap);
  eList = new Uint8Array(cap); eTensor = new Uint32Array(cap); order = new Uint32Array(cap);
  orderCount = -1;
}

function before(x: number, y: number): boolean {
  return eKey[x]! < eKey[y]! || (eKey[x] === eKey[y] && eStart[x]! < eStart[y]!);
}

/** Sorts order[0..n) by (buffer, start): insertion sort from the previous permutation. */
function sortEntries(n: number): void {
  if (orderCount !== n) for (let i = 0; i < n; i++) order[i] = i;
  orderCount = n;
  for (let i = 1; i < n; i++) {
    const e = order[i]!;
    let j = i - 1;
    while (j >= 0 && before(e, order[j]!)) { order[j + 1] = order[j]!; j--; }
    order[j + 1] = e;
  }
}

function listName(list: number, names: readonly string[]): string {
  return list === 0 ? 'params' : list === 1 ? 'grads' : names[list - 2]!;
}

/**
 * Written arrays (params, states) must not share a byte with any other array; grads may share among
 * themselves. One sweep over the sorted entries, keeping the furthest-reaching written and grad range
 * of the current buffer; a hit rebuilds the pair's names and throws through checkDisjoint.
 */
function checkAliasing(kernel: string, lists: ReadonlyArray<FloatArray[] | null>, names: readonly string[], n: number): void {
  sortEntries(n);
  let key = -1, wEnd = -1, wAt = -1, gEnd = -1, gAt = -1;
  for (let k = 0; k < n; k++) {
    const e = order[k]!;
    if (eKey[e] !== key) { key = eKey[e]!; wEnd = -1; wAt = -1; gEnd = -1; gAt = -1; }
    const written = eList[e] !== 1;
    let hit = -1;
    if (eStart[e]! < wEnd) hit = wAt;
    else if (written && eStart[e]! < gEnd) hit = gAt;
    if (hit >= 0) {
      const a = lists[eList[hit]!]![eTensor[hit]!]!, b = lists[eList[e]!]![eTensor[e]!]!;
      checkDisjoint(kernel, `${listName(eList[hit]!, names)}[${eTensor[hit]!}]`, a, a.length,
        `${listName(eList[e]!, names)}[${eTensor[e]!}]`, b, b.length);
      throw new RangeError(`${kernel}: arrays of the call share memory (an element getter returned different arrays)`);
    }
    if (written) { if (eEnd[e]! > wEnd) { wEnd = eEnd[e]!; wAt = e; } } else if (eEnd[e]! > gEnd) { gEnd = eEnd[e]!; gAt = e; }
  }
}

// The lists of one call: params, grads, then up to three states (null = not used by these flags).
// Module-level so the per-step path builds no array; cleared after each check (no buffer is retained).
const callLists: Array<FloatArray[] | null> = [null, null, null, null, null];
const callNames: string[] = ['', '', ''];
let busy = false; // a getter on a list element could call a step while these are in use

/**
 * params[i], grads[i] and each used state list's [i]: FloatArrays of params[i].length elements; written
 * arrays disjoint from every other array of the call (checkAliasing). State k is (name, list, required).
 */
function checkTensors(kernel: string, params: unknown, grads: unknown,
  n0: string, s0: unknown, r0: boolean, n1: string, s1: unknown, r1: boolean, n2: string, s2: unknown, r2: boolean): void {
  if (!Array.isArray(params)) {
    throw new TypeError(`${kernel}: params must be an Array of Float32Array or Float64Array, got ${describeType(params)}`);
  }
  const count = params.length;
  checkList(kernel, 'grads', grads, count);
  if (busy) throw new Error(`${kernel}: called from a getter of another optimizer step's arguments`);
  busy = true;
  try {
    callNames[0] = n0; callNames[1] = n1; callNames[2] = n2;
    callLists[0] = params as FloatArray[]; callLists[1] = grads;
    callLists[2] = checkState(kernel, n0, s0, r0, count);
    callLists[3] = checkState(kernel, n1, s1, r1, count);
    callLists[4] = checkState(kernel, n2, s2, r2, count);
    let lists = 0;
    for (let l = 0; l < 5; l++) if (callLists[l] !== null) lists++;
    reserve(count * lists);
    let n = 0;
    for (let i = 0; i < count; i++) {
      const p: unknown = params[i];
      if (!(p instanceof Float32Array || p instanceof Float64Array)) checkFloatArray(kernel, `params[${i}]`, p);
      const len = (p as FloatArray).length;
      for (let l = 0; l < 5; l++) {
        const list = callLists[l];
        if (list === null || list === undefined) continue;
        const a: unknown = list[i];
        if (!(a instanceof Float32Array || a instanceof Float64Array)) checkFloatArray(kernel, `${listName(l, callNames)}[${i}]`, a);
        if (a.length !== len) {
          throw new RangeError(`${kernel}: ${listName(l, callNames)}[${i}].length ${a.length} != params[${i}].length ${len}`);
        }
        if (a.byteLength === 0) continue; // an empty array shares no memory
        eKey[n] = bufferId(a); eStart[n] = a.byteOffset; eEnd[n] = a.byteOffset + a.byteLength;
        eList[n] = l; eTensor[n] = i; n++;
      }
    }
    checkAliasing(kernel, callLists, callNames, n);
  } finally {
    for (let l = 0; l < 5; l++) callLists[l] = null;
    busy = false;
  }
}

function checkState(kernel: string, name: string, list: unknown, required: boolean, count: number): FloatArray[] | null {
  if (!required) return null;
  if (list === null || list === undefined) throw new TypeError(`${kernel}: ${name} is required with these options`);
  checkList(kernel, name, list, count);
  return list;
}

// Each validator first reads its hyperparameters by name (monomorphic loads that V8 keeps unboxed: a
// generic h[key] loop boxes every double, ~80 bytes a step) and builds messages only when one is bad.
const fin = Number.isFinite;
const isObj = (h: unknown): boolean => typeof h === 'object' && h !== null;

export function sgdStep(params: FloatArray[], grads: FloatArray[], momentumBufs: FloatArray[] | null, h: SgdHyper): void {
  if (!(isObj(h) && fin(h.lr) && fin(h.momentum) && fin(h.gradScale) && fin(h.weightDecay) &&
    typeof h.nesterov === 'boolean' && typeof h.firstStep === 'boolean')) checkHyper('sgdStep', h, SGD_NUMBERS, SGD_FLAGS);
  checkTensors('sgdStep', params, grads, 'momentumBufs', momentumBufs, h.momentum !== 0, '', null, false, '', null, false);
}

export function adagradStep(params: FloatArray[], grads: FloatArray[], sums: FloatArray[], h: AdagradHyper): void {
  if (!(isObj(h) && fin(h.clr) && fin(h.weightDecay) && fin(h.eps))) checkHyper('adagradStep', h, ADAGRAD_NUMBERS, NO_FLAGS);
  checkTensors('adagradStep', params, grads, 'sums', sums, true, '', null, false, '', null, false);
}

export function rmspropStep(params: FloatArray[], grads: FloatArray[], squareAvgs: FloatArray[],
  gradAvgs: FloatArray[] | null, momentumBufs: FloatArray[] | null, h: RmspropHyper): void {
  if (!(isObj(h) && fin(h.lr) && fin(h.alpha) && fin(h.eps) && fin(h.weightDecay) && fin(h.momentum) &&
    typeof h.centered === 'boolean')) checkHyper('rmspropStep', h, RMSPROP_NUMBERS, RMSPROP_FLAGS);
  checkTensors('rmspropStep', params, grads, 'squareAvgs', squareAvgs, true, 'gradAvgs', gradAvgs, h.centered,
    'momentumBufs', momentumBufs, h.momentum > 0);
}

export function adamStep(params: FloatArray[], grads: FloatArray[], expAvgs: FloatArray[], expAvgSqs: FloatArray[],
  maxExpAvgSqs: FloatArray[] | null, h: AdamHyper): void {
  if (!(isObj(h) && fin(h.stepSize) && fin(h.beta1) && fin(h.beta2) && fin(h.eps) && fin(h.bc2Sqrt) && fin(h.weightDecay) &&
    fin(h.decay) && typeof h.amsgrad === 'boolean')) checkHyper('adamStep', h, ADAM_NUMBERS, ADAM_FLAGS);
  checkTensors('adamStep', params, grads, 'expAvgs', expAvgs, true, 'expAvgSqs', expAvgSqs, true,
    'maxExpAvgSqs', maxExpAvgSqs, h.amsgrad);
}

const SGD_NUMBERS = ['lr', 'momentum', 'gradScale', 'weightDecay'], SGD_FLAGS = ['nesterov', 'firstStep'];
const ADAGRAD_NUMBERS = ['clr', 'weightDecay', 'eps'], NO_FLAGS: string[] = [];
const RMSPROP_NUMBERS = ['lr', 'alpha', 'eps', 'weightDecay', 'momentum'], RMSPROP_FLAGS = ['centered'];
const ADAM_NUMBERS = ['stepSize', 'beta1', 'beta2', 'eps', 'bc2Sqrt', 'weightDecay', 'decay'], ADAM_FLAGS = ['amsgrad'];

/** The validators above, typed against OptimKernels so the compiler keeps them in step. */
export const optimChecks: OptimKernels = { sgdStep, adagradStep, rmspropStep, adamStep };

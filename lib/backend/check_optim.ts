// Argument validators for the optimizer kernels (kernels_optim.ts); both backends call them first.
// Contract: lists are Arrays of FloatArray of one length per tensor (params[i].length), the state lists a
// family's flags need are present, hyperparameters finite, and no two arrays of one tensor overlap
// (every array is read and written in one pass). Not here: option ranges (lib/optim/options.ts).
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

/**
 * params[i] and grads[i] and each state list's [i]: FloatArrays of params[i].length elements, pairwise
 * disjoint within tensor i. `lists` maps names to lists (null = not used by these flags).
 */
function checkTensors(kernel: string, params: unknown, grads: unknown,
  states: ReadonlyArray<readonly [string, unknown, boolean]>): void {
  if (!Array.isArray(params)) {
    throw new TypeError(`${kernel}: params must be an Array of Float32Array or Float64Array, got ${describeType(params)}`);
  }
  const count = params.length;
  checkList(kernel, 'grads', grads, count);
  const named: Array<[string, FloatArray[]]> = [['grads', grads]];
  for (const [name, list, required] of states) {
    if (!required) continue;
    if (list === null || list === undefined) throw new TypeError(`${kernel}: ${name} is required with these options`);
    checkList(kernel, name, list, count);
    named.push([name, list]);
  }
  for (let i = 0; i < count; i++) {
    const p: unknown = params[i];
    checkFloatArray(kernel, `params[${i}]`, p);
    const n = p.length;
    const arrays: Array<[string, FloatArray]> = [[`params[${i}]`, p]];
    for (const [name, list] of named) {
      const a: unknown = list[i];
      checkFloatArray(kernel, `${name}[${i}]`, a);
      if (a.length !== n) throw new RangeError(`${kernel}: ${name}[${i}].length ${a.length} != params[${i}].length ${n}`);
      arrays.push([`${name}[${i}]`, a]);
    }
    for (let x = 0; x < arrays.length; x++) {
      for (let y = x + 1; y < arrays.length; y++) {
        checkDisjoint(kernel, arrays[x]![0], arrays[x]![1], n, arrays[y]![0], arrays[y]![1], n);
      }
    }
  }
}

export function sgdStep(params: FloatArray[], grads: FloatArray[], momentumBufs: FloatArray[] | null, h: SgdHyper): void {
  checkHyper('sgdStep', h, ['lr', 'momentum', 'gradScale', 'weightDecay'], ['nesterov', 'firstStep']);
  checkTensors('sgdStep', params, grads, [['momentumBufs', momentumBufs, h.momentum !== 0]]);
}

export function adagradStep(params: FloatArray[], grads: FloatArray[], sums: FloatArray[], h: AdagradHyper): void {
  checkHyper('adagradStep', h, ['clr', 'weightDecay', 'eps'], []);
  checkTensors('adagradStep', params, grads, [['sums', sums, true]]);
}

export function rmspropStep(params: FloatArray[], grads: FloatArray[], squareAvgs: FloatArray[],
  gradAvgs: FloatArray[] | null, momentumBufs: FloatArray[] | null, h: RmspropHyper): void {
  checkHyper('rmspropStep', h, ['lr', 'alpha', 'eps', 'weightDecay', 'momentum'], ['centered']);
  checkTensors('rmspropStep', params, grads, [['squareAvgs', squareAvgs, true], ['gradAvgs', gradAvgs, h.centered],
    ['momentumBufs', momentumBufs, h.momentum > 0]]);
}

export function adamStep(params: FloatArray[], grads: FloatArray[], expAvgs: FloatArray[], expAvgSqs: FloatArray[],
  maxExpAvgSqs: FloatArray[] | null, h: AdamHyper): void {
  checkHyper('adamStep', h, ['stepSize', 'beta1', 'beta2', 'eps', 'bc2Sqrt', 'weightDecay', 'decay'], ['amsgrad']);
  checkTensors('adamStep', params, grads, [['expAvgs', expAvgs, true], ['expAvgSqs', expAvgSqs, true],
    ['maxExpAvgSqs', maxExpAvgSqs, h.amsgrad]]);
}

/** The validators above, typed against OptimKernels so the compiler keeps them in step. */
export const optimChecks: OptimKernels = { sgdStep, adagradStep, rmspropStep, adamStep };

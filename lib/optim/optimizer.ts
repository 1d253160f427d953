// The optimizer base class (torch.optim.Optimizer's contract): parameter groups with their own options,
// per-parameter state created on the first step, step() / zeroGrad(), stateDict() / loadStateDict().
// Contract: step() updates every trainable Parameter of every group from its grad through ONE backend
// call per group (native when all its tensors are float32, else the reference); lr may be a Keras-style
// schedule, evaluated at the optimizer's iteration count (0 on the first step, as Keras' `iterations`).
// Not here: the update formulas (subclasses + lib/backend/reference_optim.ts), schedulers (lib/schedules).
import type { Backend, FloatArray } from '../backend/backend';
import { backend } from '../backend/select';
import { reference } from '../backend/reference';
import { checkKeys, isSchedule, type LrValue } from './options';
import { Parameter } from './parameter';

/** Keys schedulers add to a group (PyTorch's initial_lr, max_lr, ... in camelCase). */
export interface SchedulerKeys {
  initialLr?: number; maxLr?: number; minLr?: number; maxMomentum?: number; baseMomentum?: number;
}
const SCHEDULER_KEYS = ['initialLr', 'maxLr', 'minLr', 'maxMomentum', 'baseMomentum'];
/** A parameter group: its parameters, lr (mutable) and the optimizer's other options. */
export type ParamGroup<O> = O & SchedulerKeys & { params: Parameter[]; lr: LrValue };
/** The argument of a constructor: parameters, or groups each overriding some options. */
export type ParamsArg<O> = Parameter[] | Array<Partial<O> & SchedulerKeys & { params: Parameter[]; lr?: LrValue }>;

/** One parameter's state: its step count and named buffers (same dtype and length as the parameter). */
export interface ParamState { step: number; buffers: Record<string, FloatArray> }

/** stateDict(): a JSON header and the binary buffers it refers to by index (for the SGRD container). */
export interface OptimizerStateDict {
  json: {
    type: string;
    iterations: number;
    /** per parameter index (its position across groups, in order): step and buffer indices. */
    state: Record<string, { step: number; buffers: Record<string, number> }>;
    paramGroups: Array<Record<string, unknown> & { params: number[] }>;
  };
  buffers: FloatArray[];
}

/** What a subclass does with one group's tensors that share a step count t (1 on the first step). */
export interface GroupStep<O> {
  be: Backend; group: ParamGroup<O>; lr: number; t: number;
  params: FloatArray[]; grads: FloatArray[]; states: ParamState[];
}

export abstract class Optimizer<O extends object> {
  readonly paramGroups: Array<ParamGroup<O>>;
  readonly defaults: Readonly<O & { lr: LrValue }>;
  /** step() calls so far (Keras' optimizer.iterations): the step a schedule object is evaluated at. */
  iterations = 0;
  protected readonly state = new Map<Parameter, ParamState>();
  private readonly known: readonly string[];
  // Method shorthand keeps Optimizer<O> assignable to Optimizer<object> (its parameter is checked
  // bivariantly), so schedulers and the model can hold any optimizer.
  private readonly checker: { check(o: O & { lr: LrValue }): void };

  /**
   * `name` for messages; `known` option names; `defaults` PyTorch's; `validate` checks a full option
   * set (defaults merged with a group's overrides) and throws naming the option.
   */
  protected constructor(readonly name: string, params: ParamsArg<O>, options: unknown, known: readonly string[],
    defaults: O & { lr: LrValue }, validate: (o: O & { lr: LrValue }) => void) {
    const given = checkKeys(name, options, known);
    const merged = { ...defaults, ...given } as O & { lr: LrValue };
    validate(merged);
    this.defaults = merged;
    this.known = [...known, ...SCHEDULER_KEYS];
    this.checker = { check: validate };
    if (!Array.isArray(params) || params.length === 0) throw new TypeError(`${name}: params must be a non-empty array`);
    const groups = params[0] instanceof Parameter ? [{ params: params as Parameter[] }] : params;
    const seen = new Set<Parameter>();
    this.paramGroups = groups.map((g, i) => {
      if (typeof g !== 'object' || g === null || !Array.isArray((g as { params?: unknown }).params)) {
        throw new TypeError(`${name}: params[${i}] must be a Parameter or a group { params: Parameter[], ... }`);
      }
      const { params: ps, ...rest } = g as { params: Parameter[] };
      checkKeys(`${name}: group ${i}`, rest, this.known);
      const group = { ...merged, ...rest, params: ps } as ParamGroup<O>;
      validate(group);
      for (const p of ps) {
        if (!(p instanceof Parameter)) throw new TypeError(`${name}: group ${i} has a params entry that is not a Parameter`);
        if (seen.has(p)) throw new Error(`${name}: a parameter appears in more than one group (or twice)`);
        seen.add(p);
      }
      return group;
    });
  }

  /** Fills every parameter's gradient with 0 (PyTorch set_to_none=False). */
  zeroGrad(): void {
    for (const g of this.paramGroups) for (const p of g.params) p.grad.data.fill(0);
  }

  /** The lr a group uses at this step: the number, or the schedule evaluated at `iterations`. */
  currentLr(group: ParamGroup<O>): number {
    return isSchedule(group.lr) ? group.lr.lrAt(this.iterations) : group.lr;
  }

  /** One update of every trainable parameter (PyTorch optimizer.step()). */
  step(): void {
    for (const group of this.paramGroups) {
      const lr = this.currentLr(group);
      // Parameters that share a step count and state layout go together in one backend call.
      const buckets = new Map<string, Parameter[]>();
      for (const p of group.params) {
        if (!p.trainable) continue;
        const s = this.state.get(p);
        const key = s === undefined ? 'new' : `${s.step}:${Object.keys(s.buffers).length}`;
        const list = buckets.get(key);
        if (list) list.push(p);
        else buckets.set(key, [p]);
      }
      for (const ps of buckets.values()) this.stepBucket(group, lr, ps);
    }
    this.iterations++;
  }

  private stepBucket(group: ParamGroup<O>, lr: number, ps: Parameter[]): void {
    const states = ps.map((p) => {
      let s = this.state.get(p);
      if (s === undefined) {
        s = { step: 0, buffers: {} };
        this.state.set(p, s);
      }
      s.step++;
      return s;
    });
    const params = ps.map((p) => p.value.data), grads = ps.map((p) => p.grad.data);
    const active = backend();
    const be = active.name === 'native' && params.every((a) => a instanceof Float32Array) ? active : reference;
    this.update({ be, group, lr, t: states[0]!.step, params, grads, states });
  }

  /** Returns state.buffers[name], creating it (filled with `init`) with the parameter's dtype and length. */
  protected buffer(s: ParamState, like: FloatArray, name: string, init = 0): FloatArray {
    let b = s.buffers[name];
    if (b === undefined) {
      b = like instanceof Float32Array ? new Float32Array(like.length) : new Float64Array(like.length);
      if (init !== 0) b.fill(init);
      s.buffers[name] = b;
    }
    return b;
  }

  /** The family's update of one bucket (formula in the subclass's doc comment). */
  protected abstract update(step: GroupStep<O>): void;
  /** Buffer names a state of this optimizer may hold (validated on load). */
  protected abstract readonly bufferNames: readonly string[];

  /** The state as a JSON header plus copies of the buffers (PyTorch state_dict, camelCase keys). */
  stateDict(): OptimizerStateDict {
    const buffers: FloatArray[] = [];
    const state: OptimizerStateDict['json']['state'] = {};
    let index = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const { params, lr, ...rest } = g;
      const ids = params.map((p) => {
        const s = this.state.get(p);
        if (s !== undefined) {
          const refs: Record<string, number> = {};
          for (const [k, b] of Object.entries(s.buffers)) refs[k] = buffers.push(b.slice()) - 1;
          state[String(index)] = { step: s.step, buffers: refs };
        }
        return index++;
      });
      // A schedule object is code, not state: it is recorded by name and kept by the loading optimizer.
      return { ...structuredClone(rest), lr: isSchedule(lr) ? 'schedule' : lr, params: ids };
    });
    return { json: { type: this.name, iterations: this.iterations, state, paramGroups }, buffers };
  }

  /** Restores stateDict() output into this optimizer (same type, groups and parameter shapes), or throws. */
  loadStateDict(sd: OptimizerStateDict): void {
    const where = `${this.name}.loadStateDict`;
    const all = this.paramGroups.flatMap((g) => g.params);
    const restored = validateStateDict(where, sd, this.name, this.paramGroups.map((g) => g.params.length),
      all.map((p) => p.value.data), this.bufferNames);
    // Saved options must be options of this optimizer with valid values, checked before anything changes.
    const groups = sd.json.paramGroups.map((saved, gi) => {
      const { params: _ids, lr, ...rest } = saved;
      const g = this.paramGroups[gi]!;
      const merged = { ...g, ...structuredClone(rest), lr: lr === 'schedule' ? g.lr : lr } as ParamGroup<O>;
      checkKeys(`${where}: group ${gi}`, { ...rest, lr }, this.known);
      this.checker.check(merged);
      return merged;
    });
    this.state.clear();
    restored.forEach((s, i) => { if (s !== undefined) this.state.set(all[i]!, s); });
    groups.forEach((merged, gi) => Object.assign(this.paramGroups[gi]!, merged));
    this.iterations = sd.json.iterations;
  }
}

/** Checks sd against this optimizer's layout; returns the states (buffers copied) per parameter index. */
function validateStateDict(where: string, sd: OptimizerStateDict, type: string, groupSizes: number[],
  data: FloatArray[], bufferNames: readonly string[]): Array<ParamState | undefined> {
  const j = sd?.json;
  if (typeof j !== 'object' || j === null || !Array.isArray(sd.buffers)) throw new TypeError(`${where}: expected { json, buffers } from stateDict()`);
  if (j.type !== type) throw new Error(`${where}: state of a ${String(j.type)} optimizer, this is ${type}`);
  if (!Number.isSafeInteger(j.iterations) || j.iterations < 0) throw new Error(`${where}: iterations must be an integer >= 0`);
  if (!Array.isArray(j.paramGroups) || j.paramGroups.length !== groupSizes.length) {
    throw new Error(`${where}: saved state has ${j.paramGroups?.length} parameter groups, this optimizer has ${groupSizes.length}`);
  }
  j.paramGroups.forEach((g, i) => {
    if (!Array.isArray(g.params) || g.params.length !== groupSizes[i]) {
      throw new Error(`${where}: group ${i} has ${g.params?.length} parameters saved, ${groupSizes[i]} here`);
    }
  });
  const out: Array<ParamState | undefined> = new Array(data.length);
  for (const [key, s] of Object.entries(j.state)) {
    const i = Number(key);
    const p = data[i];
    if (!Number.isSafeInteger(i) || p === undefined) throw new Error(`${where}: state for parameter ${key}, which does not exist`);
    if (!Number.isSafeInteger(s.step) || s.step < 0) throw new Error(`${where}: parameter ${key}: step must be an integer >= 0`);
    const buffers: Record<string, FloatArray> = {};
    for (const [name, bi] of Object.entries(s.buffers)) {
      if (!bufferNames.includes(name)) throw new Error(`${where}: parameter ${key}: unknown state '${name}' (known: ${bufferNames.join(', ')})`);
      const b = sd.buffers[bi];
      if (!(b instanceof Float32Array || b instanceof Float64Array)) throw new Error(`${where}: parameter ${key}: ${name} refers to missing buffer ${bi}`);
      if (b.length !== p.length || b.constructor !== p.constructor) {
        throw new Error(`${where}: parameter ${key}: ${name} is a ${b.constructor.name}(${b.length}), the parameter a ${p.constructor.name}(${p.length})`);
      }
      buffers[name] = b.slice();
    }
    out[i] = { step: s.step, buffers };
  }
  return out;
}

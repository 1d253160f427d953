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
  /** The bucket's state lists by buffer name (stateList() fills it; reused while the layout holds). */
  lists: Record<string, FloatArray[]>;
}

/**
 * A group's buckets as of the last step, reused by every step until the layout changes (DESIGN: no
 * per-step garbage): `version` is the optimizer's layoutVersion then; `order` and `trainable` the
 * group's params and their flags, compared element by element before each reuse.
 */
interface GroupCache<O> {
  version: number;
  paramsRef: Parameter[];
  order: Parameter[];
  trainable: boolean[];
  buckets: Array<{ ps: Parameter[]; allF32: boolean; step: GroupStep<O> }>;
}

export abstract class Optimizer<O extends object> {
  readonly paramGroups: Array<ParamGroup<O>>;
  readonly defaults: Readonly<O & { lr: LrValue }>;
  /** step() calls so far (Keras' optimizer.iterations): the step a schedule object is evaluated at. */
  iterations = 0;
  protected readonly state = new Map<Parameter, ParamState>();
  /** Bumped whenever a state or buffer is created or replaced: cached bucket layouts are then rebuilt. */
  private layoutVersion = 0;
  private readonly caches = new Map<ParamGroup<O>, GroupCache<O>>();
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
    checkSharedData(name, this.paramGroups.flatMap((g) => g.params));
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
    const groups = this.paramGroups;
    for (let gi = 0; gi < groups.length; gi++) {
      const group = groups[gi]!;
      const lr = this.currentLr(group);
      let cache = this.caches.get(group);
      if (cache === undefined || !this.cacheValid(group, cache)) {
        cache = this.buildCache(group);
        this.caches.set(group, cache);
      }
      const active = backend();
      for (let bi = 0; bi < cache.buckets.length; bi++) {
        const b = cache.buckets[bi]!, st = b.step, states = st.states;
        for (let j = 0; j < states.length; j++) states[j]!.step++;
        st.be = active.name === 'native' && b.allF32 ? active : reference;
        st.group = group;
        st.lr = lr;
        st.t = states[0]!.step;
        this.update(st);
      }
    }
    this.iterations++;
  }

  /** Whether `c` still describes `group`: same layout version, params, trainable flags and arrays. */
  private cacheValid(group: ParamGroup<O>, c: GroupCache<O>): boolean {
    const ps = group.params;
    if (c.version !== this.layoutVersion || c.paramsRef !== ps || c.order.length !== ps.length) return false;
    for (let i = 0; i < ps.length; i++) if (ps[i] !== c.order[i] || ps[i]!.trainable !== c.trainable[i]) return false;
    for (let bi = 0; bi < c.buckets.length; bi++) {
      const b = c.buckets[bi]!;
      for (let j = 0; j < b.ps.length; j++) {
        const p = b.ps[j]!;
        if (p.value.data !== b.step.params[j] || p.grad.data !== b.step.grads[j]) return false;
      }
    }
    return true;
  }

  /**
   * Groups the trainable parameters that share a step count and state layout (buffer names) into
   * buckets, each stepped by one backend call; creates the states of new parameters (step 0).
   */
  private buildCache(group: ParamGroup<O>): GroupCache<O> {
    const byKey = new Map<string, Parameter[]>();
    for (const p of group.params) {
      if (!p.trainable) continue;
      const s = this.state.get(p);
      const key = s === undefined ? 'new' : `${s.step}:${Object.keys(s.buffers).sort().join(',')}`;
      const list = byKey.get(key);
      if (list) list.push(p);
      else byKey.set(key, [p]);
    }
    const buckets = [...byKey.values()].map((ps) => {
      const states = ps.map((p) => {
        let s = this.state.get(p);
        if (s === undefined) {
          s = { step: 0, buffers: {} };
          this.state.set(p, s);
        }
        return s;
      });
      const params = ps.map((p) => p.value.data), grads = ps.map((p) => p.grad.data);
      const step: GroupStep<O> = { be: reference, group, lr: 0, t: 0, params, grads, states, lists: {} };
      return { ps, allF32: params.every((a) => a instanceof Float32Array), step };
    });
    return { version: this.layoutVersion, paramsRef: group.params, order: group.params.slice(),
      trainable: group.params.map((p) => p.trainable), buckets };
  }

  /**
   * The bucket's list of state buffer `name` (one per parameter), created on first use with the
   * parameters' dtype and length (filled with `init`) and reused by later steps.
   */
  protected stateList(step: GroupStep<O>, name: string, init = 0): FloatArray[] {
    let list = step.lists[name];
    if (list === undefined) {
      list = step.states.map((s, i) => this.buffer(s, step.params[i]!, name, init));
      step.lists[name] = list;
    }
    return list;
  }

  /** Returns state.buffers[name], creating it (filled with `init`) with the parameter's dtype and length. */
  protected buffer(s: ParamState, like: FloatArray, name: string, init = 0): FloatArray {
    let b = s.buffers[name];
    if (b === undefined) {
      b = like instanceof Float32Array ? new Float32Array(like.length) : new Float64Array(like.length);
      if (init !== 0) b.fill(init);
      s.buffers[name] = b;
      this.layoutVersion++;
    }
    return b;
  }

  /** The family's update of one bucket (formula in the subclass's doc comment). */
  protected abstract update(step: GroupStep<O>): void;
  /** Buffer names a state of this optimizer may hold (validated on load). */
  protected abstract readonly bufferNames: readonly string[];
  /**
   * Buffers every stepped state holds whatever the options (created on its first step; checked on load).
   * Option-dependent ones (maxExpAvgSq, gradAvg, momentumBuffer) are not required: switching the option
   * on mid-run legitimately leaves older states without them, and step() then starts them at 0, as the
   * optimizer that saved the state would have.
   */
  protected abstract readonly requiredBuffers: readonly string[];

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
    // A state that has stepped must hold the buffers of every step: a missing one would be recreated at
    // zero, silently restarting that average (Adam's v, Adagrad's sum, RMSprop's squareAvg).
    restored.forEach((s, i) => {
      if (s === undefined || s.step === 0) return;
      for (const name of this.requiredBuffers) {
        if (s.buffers[name] === undefined) throw new Error(`${where}: parameter ${i} is at step ${s.step} but has no '${name}' state`);
      }
    });
    this.state.clear();
    this.layoutVersion++;
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
  if (typeof j.state !== 'object' || j.state === null || Array.isArray(j.state)) throw new TypeError(`${where}: json.state must be an object`);
  for (const [key, s] of Object.entries(j.state as Record<string, unknown>)) {
    const i = Number(key);
    const p = data[i];
    if (!Number.isSafeInteger(i) || p === undefined) throw new Error(`${where}: state for parameter ${key}, which does not exist`);
    if (typeof s !== 'object' || s === null) throw new TypeError(`${where}: parameter ${key}: state must be an object { step, buffers }`);
    const { step, buffers: refs } = s as { step: unknown; buffers: unknown };
    if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) throw new Error(`${where}: parameter ${key}: step must be an integer >= 0`);
    if (typeof refs !== 'object' || refs === null || Array.isArray(refs)) throw new TypeError(`${where}: parameter ${key}: buffers must be an object of buffer indices`);
    const buffers: Record<string, FloatArray> = {};
    for (const [name, bi] of Object.entries(refs as Record<string, unknown>)) {
      if (!bufferNames.includes(name)) throw new Error(`${where}: parameter ${key}: unknown state '${name}' (known: ${bufferNames.join(', ')})`);
      if (typeof bi !== 'number' || !Number.isSafeInteger(bi) || bi < 0) throw new TypeError(`${where}: parameter ${key}: ${name} must be a buffer index, got ${String(bi)}`);
      const b: unknown = sd.buffers[bi];
      if (!(b instanceof Float32Array || b instanceof Float64Array)) throw new Error(`${where}: parameter ${key}: ${name} refers to missing buffer ${bi}`);
      if (b.length !== p.length || b.constructor !== p.constructor) {
        throw new Error(`${where}: parameter ${key}: ${name} is a ${b.constructor.name}(${b.length}), the parameter a ${p.constructor.name}(${p.length})`);
      }
      buffers[name] = b.slice();
    }
    out[i] = { step, buffers };
  }
  return out;
}

/**
 * Two Parameters may not share memory: the same Tensor, views of one buffer that overlap, or a grad that
 * overlaps a value would be updated twice (or read while written) in one step, with results that depend
 * on the thread count. Grads may share memory among themselves (they are only read).
 */
function checkSharedData(name: string, ps: readonly Parameter[]): void {
  type Range = { start: number; end: number; what: string; written: boolean };
  const byBuffer = new Map<ArrayBufferLike, Range[]>();
  const add = (a: FloatArray, what: string, written: boolean): void => {
    if (a.byteLength === 0) return;
    let list = byBuffer.get(a.buffer);
    if (list === undefined) byBuffer.set(a.buffer, list = []);
    list.push({ start: a.byteOffset, end: a.byteOffset + a.byteLength, what, written });
  };
  const label = (p: Parameter, i: number): string => `parameter ${i}${p.name ? ` ('${p.name}')` : ''}`;
  const firstUse = new Map<unknown, number>();
  ps.forEach((p, i) => {
    const j = firstUse.get(p.value);
    if (j !== undefined) throw new Error(`${name}: ${label(p, i)} and ${label(ps[j]!, j)} share one value Tensor; each parameter needs its own data`);
    firstUse.set(p.value, i);
    add(p.value.data, `the value of ${label(p, i)}`, true);
    add(p.grad.data, `the grad of ${label(p, i)}`, false);
  });
  for (const list of byBuffer.values()) {
    list.sort((a, b) => a.start - b.start);
    let reach: Range | undefined, reachW: Range | undefined;
    for (const r of list) {
      const other = reachW !== undefined && r.start < reachW.end ? reachW
        : r.written && reach !== undefined && r.start < reach.end ? reach : undefined;
      if (other !== undefined) {
        throw new Error(`${name}: ${other.what} and ${r.what} share memory (bytes [${other.start}, ${other.end}) and ` +
          `[${r.start}, ${r.end}) of one ArrayBuffer); each parameter needs its own data`);
      }
      if (reach === undefined || r.end > reach.end) reach = r;
      if (r.written && (reachW === undefined || r.end > reachW.end)) reachW = r;
    }
  }
}

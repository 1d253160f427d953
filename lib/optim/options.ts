// Option checking for optimizers and schedules: unknown names and out-of-range values are errors that
// name the class and the option (PyTorch's rules: lr ≥ 0, eps ≥ 0, betas in [0, 1), ...).
// Contract: each check returns the value or throws TypeError (wrong type/name) or RangeError (range).
// Not here: defaults (each class lists its own).

/** A Keras-style learning-rate schedule: a pure function of the optimizer's iteration count (from 0). */
export interface LearningRateSchedule {
  lrAt(step: number): number;
}

export type LrValue = number | LearningRateSchedule;

export function isSchedule(v: unknown): v is LearningRateSchedule {
  return typeof v === 'object' && v !== null && typeof (v as { lrAt?: unknown }).lrAt === 'function';
}

/** Throws TypeError for a non-object or any key outside `known`. */
export function checkKeys(where: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) throw new TypeError(`${where}: unknown option '${k}' (known: ${known.join(', ')})`);
  }
  return options as Record<string, unknown>;
}

export function checkNumber(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) {
    throw new TypeError(`${where}: ${name} must be a number, got ${typeof v === 'number' ? v : typeof v}`);
  }
  return v;
}

/** A finite number ≥ 0 (PyTorch: "Invalid learning rate", "Invalid epsilon value", ...). */
export function checkNonNegative(where: string, name: string, v: unknown): number {
  const x = checkNumber(where, name, v);
  if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`${where}: ${name} must be a finite number >= 0, got ${x}`);
  return x;
}

/** A finite number > 0. */
export function checkPositive(where: string, name: string, v: unknown): number {
  const x = checkNumber(where, name, v);
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`${where}: ${name} must be a finite number > 0, got ${x}`);
  return x;
}

/** A number in [0, 1) (Adam's betas, momentum coefficients of EMA forms). */
export function checkUnitInterval(where: string, name: string, v: unknown): number {
  const x = checkNumber(where, name, v);
  if (!(x >= 0 && x < 1)) throw new RangeError(`${where}: ${name} must be in [0, 1), got ${x}`);
  return x;
}

/** An integer ≥ min. */
export function checkInt(where: string, name: string, v: unknown, min: number): number {
  const x = checkNumber(where, name, v);
  if (!Number.isSafeInteger(x) || x < min) throw new RangeError(`${where}: ${name} must be an integer >= ${min}, got ${x}`);
  return x;
}

export function checkBoolean(where: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${where}: ${name} must be a boolean, got ${typeof v}`);
  return v;
}

export function checkOneOf<T extends string>(where: string, name: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new TypeError(`${where}: ${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${String(v)}`);
  }
  return v as T;
}

/** lr: a number ≥ 0 or a schedule object with lrAt(step). */
export function checkLr(where: string, v: unknown): LrValue {
  if (isSchedule(v)) return v;
  return checkNonNegative(where, 'lr', v);
}

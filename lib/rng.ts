// Rng: the one seeded random number generator of simdgrad (initializers, dropout, shuffling, RReLU).
// Contract: xoshiro128** 1.1 (Blackman & Vigna) seeded by SplitMix64, so the same seed gives the same
// numbers on every platform; normals by the Marsaglia polar method; state is a plain JSON object.
// Pure TypeScript, 32-bit integer arithmetic only (Math.imul, >>> 0); BigInt is used once, to seed.
// Not here: cryptographic randomness, a native RNG, distributions other than uniform / normal / integer.

import type { FloatArray } from './backend/backend';

/** The full generator state: JSON-serializable, restorable with setState / Rng.fromState. */
export interface RngState {
  /** Always 'xoshiro128**': guards against loading a state from another generator. */
  algorithm: 'xoshiro128**';
  /** The four 32-bit state words as unsigned integers, never all zero. */
  s: [number, number, number, number];
  /** The second value of the last polar Box–Muller pair, not yet returned by normal(); null if none. */
  cachedNormal: number | null;
}

/** Arrays that shuffle() permutes in place. */
export type Shuffleable = unknown[] | Int32Array | Uint32Array | Float32Array | Float64Array;

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
const MASK_64 = (1n << 64n) - 1n;

/** xoshiro128** jump polynomial: advances the state by 2^64 steps (from the reference C code). */
const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b] as const;

/**
 * SplitMix64 (Vigna, https://prng.di.unimi.it/splitmix64.c) from `seed`: the recommended way to
 * expand a small seed into xoshiro state. Two outputs z0, z1 give s = [lo(z0), hi(z0), lo(z1), hi(z1)].
 * SplitMix64's output is a bijection of its counter and the two counters differ, so at most one of
 * z0, z1 is zero: the state is never all zero.
 */
function splitMix64Seed(seed: bigint): [number, number, number, number] {
  let x = seed;
  const out: number[] = [];
  for (let i = 0; i < 2; i++) {
    x = (x + 0x9e3779b97f4a7c15n) & MASK_64;
    let z = x;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
    z ^= z >> 31n;
    out.push(Number(z & 0xffffffffn), Number(z >> 32n));
  }
  return out as [number, number, number, number];
}

function checkSeed(seed: unknown): bigint {
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed > MASK_64) throw new RangeError(`Rng: seed must be in [0, 2^64-1], got ${seed}`);
    return seed;
  }
  if (typeof seed !== 'number') throw new TypeError(`Rng: seed must be a number or bigint, got ${typeof seed}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`Rng: seed must be an integer in [0, 2^53-1], got ${seed}`);
  }
  return BigInt(seed);
}

function checkFinite(method: string, name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number') throw new TypeError(`Rng.${method}: ${name} must be a number, got ${typeof v}`);
  if (!Number.isFinite(v)) throw new RangeError(`Rng.${method}: ${name} must be finite, got ${v}`);
}

function checkRange(method: string, lo: unknown, hi: unknown): void {
  checkFinite(method, 'lo', lo);
  checkFinite(method, 'hi', hi);
  if (lo > hi) throw new RangeError(`Rng.${method}: lo ${lo} > hi ${hi}`);
}

function checkNormalParams(method: string, mean: unknown, std: unknown): void {
  checkFinite(method, 'mean', mean);
  checkFinite(method, 'std', std);
  if (std < 0) throw new RangeError(`Rng.${method}: std must be >= 0, got ${std}`);
}

function checkFloatArray(method: string, arr: unknown): asserts arr is FloatArray {
  if (!(arr instanceof Float32Array) && !(arr instanceof Float64Array)) {
    throw new TypeError(`Rng.${method}: arr must be a Float32Array or Float64Array`);
  }
}

function isUint32(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < TWO_POW_32;
}

/**
 * Seeded PRNG: xoshiro128** 1.1 (https://prng.di.unimi.it/xoshiro128starstar.c), period 2^128 − 1.
 * `new Rng(seed)` takes an integer in [0, 2^53−1] or a bigint in [0, 2^64−1] (5 and 5n are the same
 * seed) and expands it with SplitMix64. Every method draws from one stream in call order, so a
 * program's sequence of calls fixes its numbers.
 */
export class Rng {
  // State words kept as int32 (what Math.imul and the bit operators produce); getState() makes them unsigned.
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private cached: number | null = null;

  constructor(seed: number | bigint = 0) {
    const [a, b, c, d] = splitMix64Seed(checkSeed(seed));
    this.s0 = a | 0;
    this.s1 = b | 0;
    this.s2 = c | 0;
    this.s3 = d | 0;
  }

  /** A generator continuing exactly from `state` (see setState for validation). */
  static fromState(state: RngState): Rng {
    const rng = new Rng(0);
    rng.setState(state);
    return rng;
  }

  /** Next 32-bit output as an unsigned integer in [0, 2^32): one xoshiro128** step. */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    const s2 = this.s2 ^ s0;
    const s3 = this.s3 ^ s1;
    this.s1 = s1 ^ s2;
    this.s0 = s0 ^ s3;
    this.s2 = s2 ^ t;
    this.s3 = (s3 << 11) | (s3 >>> 21);
    return result >>> 0;
  }

  /**
   * Uniform float64 in [0, 1) with 53 random bits from two draws: the top 27 bits of the first and
   * the top 26 of the second, (a·2^26 + b) / 2^53 (as genrand_res53 of the Mersenne Twister reference).
   */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / TWO_POW_53;
  }

  /** lo + (hi − lo)·random(). In [lo, hi) up to rounding (a result may round to hi). Requires lo ≤ hi. */
  uniform(lo = 0, hi = 1): number {
    checkRange('uniform', lo, hi);
    return lo + (hi - lo) * this.random();
  }

  /**
   * Normal draw by the Marsaglia polar method (polar Box–Muller): u, v uniform in (−1, 1) until
   * 0 < s = u² + v² < 1, then u·f and v·f with f = sqrt(−2 ln s / s) are two independent N(0, 1).
   * The second is cached (part of getState()) and returned by the next call. Uses only sqrt and log,
   * no sin/cos; V8's Math.log is a port of fdlibm, so results are identical across platforms.
   */
  normal(mean = 0, std = 1): number {
    checkNormalParams('normal', mean, std);
    return mean + std * this.standardNormal();
  }

  private standardNormal(): number {
    const c = this.cached;
    if (c !== null) {
      this.cached = null;
      return c;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.random() - 1;
      v = 2 * this.random() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.cached = v * f;
    return u * f;
  }

  /**
   * Unbiased integer in [0, n), n a positive integer ≤ 2^32. Rejection as in OpenBSD's
   * arc4random_uniform: draws below 2^32 mod n are rejected, so every residue is equally likely.
   */
  int(n: number): number {
    if (typeof n !== 'number') throw new TypeError(`Rng.int: n must be a number, got ${typeof n}`);
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new RangeError(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    }
    return this.intUnchecked(n);
  }

  private intUnchecked(n: number): number {
    const threshold = TWO_POW_32 % n;
    let x = this.nextUint32();
    while (x < threshold) x = this.nextUint32();
    return x % n;
  }

  /** Fisher–Yates (Durstenfeld) in place, i from the end: swap arr[i] with arr[int(i + 1)]. Returns arr. */
  shuffle<T extends Shuffleable>(arr: T): T {
    const isTyped = arr instanceof Int32Array || arr instanceof Uint32Array
      || arr instanceof Float32Array || arr instanceof Float64Array;
    if (!Array.isArray(arr) && !isTyped) {
      throw new TypeError('Rng.shuffle: arr must be an Array, Int32Array, Uint32Array, Float32Array or Float64Array');
    }
    const a = arr as { [i: number]: unknown; length: number };
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.intUnchecked(i + 1);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return arr;
  }

  /** A random permutation of 0..n−1: shuffle() of [0, 1, ..., n−1]. n an integer in [0, 2^31−1]. */
  permutation(n: number): Int32Array {
    if (typeof n !== 'number') throw new TypeError(`Rng.permutation: n must be a number, got ${typeof n}`);
    if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) {
      throw new RangeError(`Rng.permutation: n must be an integer in [0, 2^31-1], got ${n}`);
    }
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /**
   * arr[i] ← lo + (hi − lo)·random() for i in order: the same draws as calling uniform() arr.length
   * times, whatever the dtype. Rounding to float32 may give exactly hi.
   */
  fillUniform(arr: FloatArray, lo = 0, hi = 1): FloatArray {
    checkFloatArray('fillUniform', arr);
    checkRange('fillUniform', lo, hi);
    const w = hi - lo;
    for (let i = 0; i < arr.length; i++) arr[i] = lo + w * this.random();
    return arr;
  }

  /** arr[i] ← mean + std·N(0, 1) for i in order: the same draws (and cache) as calling normal() repeatedly. */
  fillNormal(arr: FloatArray, mean = 0, std = 1): FloatArray {
    checkFloatArray('fillNormal', arr);
    checkNormalParams('fillNormal', mean, std);
    for (let i = 0; i < arr.length; i++) arr[i] = mean + std * this.standardNormal();
    return arr;
  }

  /** A snapshot of the full state, including the cached normal; a plain object, safe for JSON. */
  getState(): RngState {
    return {
      algorithm: 'xoshiro128**',
      s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0],
      cachedNormal: this.cached,
    };
  }

  /** Restores a getState() snapshot. Validates everything before changing anything. */
  setState(state: RngState): void {
    if (typeof state !== 'object' || state === null) throw new TypeError('Rng.setState: state must be an object');
    if (state.algorithm !== 'xoshiro128**') {
      throw new RangeError(`Rng.setState: state.algorithm must be 'xoshiro128**', got ${String(state.algorithm)}`);
    }
    const s: unknown = state.s;
    if (!Array.isArray(s) || s.length !== 4 || !s.every(isUint32)) {
      throw new RangeError('Rng.setState: state.s must be an array of 4 integers in [0, 2^32)');
    }
    if (s.every((w) => w === 0)) throw new RangeError('Rng.setState: state.s must not be all zero');
    const c: unknown = state.cachedNormal;
    if (c !== null && (typeof c !== 'number' || !Number.isFinite(c))) {
      throw new RangeError('Rng.setState: state.cachedNormal must be null or a finite number');
    }
    const [a, b, cc, d] = s as [number, number, number, number];
    this.s0 = a | 0;
    this.s1 = b | 0;
    this.s2 = cc | 0;
    this.s3 = d | 0;
    this.cached = c;
  }

  /**
   * An independent stream, deterministically: the child takes this generator's current state (the next
   * 2^64 outputs) without the cached normal, and this generator applies the xoshiro128** jump() of the
   * reference code (advance by 2^64). Repeated forks give non-overlapping streams of length 2^64.
   */
  fork(): Rng {
    const child = Rng.fromState({ ...this.getState(), cachedNormal: null });
    this.jump();
    return child;
  }

  /** xoshiro128** jump(): equivalent to 2^64 calls of nextUint32() (reference C code, JUMP polynomial). */
  private jump(): void {
    let j0 = 0;
    let j1 = 0;
    let j2 = 0;
    let j3 = 0;
    for (const word of JUMP) {
      for (let b = 0; b < 32; b++) {
        if ((word >>> b) & 1) {
          j0 ^= this.s0;
          j1 ^= this.s1;
          j2 ^= this.s2;
          j3 ^= this.s3;
        }
        this.nextUint32();
      }
    }
    this.s0 = j0;
    this.s1 = j1;
    this.s2 = j2;
    this.s3 = j3;
  }
}

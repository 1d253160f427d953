// Weight initializers with Keras names (and PyTorch aliases): zeros, ones, constant, randomNormal,
// randomUniform, glorotUniform/Normal (Xavier), heUniform/Normal (Kaiming), lecunNormal/Uniform.
// Contract: fill(arr, fanIn, fanOut, rng) draws from the model's seeded Rng only. Keras' variance-scaling
// "normal" variants use a truncated normal (|z| ≤ 2 redrawn) with stddev/0.87962566 as Keras does.
// Not here: orthogonal or identity initializers.
import type { FloatArray } from '../backend/backend';
import { checkKeys, checkNonNegative, checkNumber } from '../optim/options';
import type { Rng } from '../rng';

export interface Initializer {
  readonly name: string;
  fill(arr: FloatArray, fanIn: number, fanOut: number, rng: Rng): void;
  getConfig(): Record<string, unknown>;
}

/** Keras truncated_normal stddev correction: the std of a unit normal truncated to [−2, 2]. */
const TRUNC_STD = 0.87962566103423978;

function truncatedNormal(arr: FloatArray, std: number, rng: Rng): void {
  for (let i = 0; i < arr.length; i++) {
    let z: number;
    do z = rng.normal(); while (Math.abs(z) > 2);
    arr[i] = z * std;
  }
}

type Mode = 'fanIn' | 'fanOut' | 'fanAvg';
/** Keras VarianceScaling: scale / fan, uniform limit √(3·var), or truncated normal std √var / 0.8796. */
function varianceScaling(name: string, scale: number, mode: Mode, dist: 'uniform' | 'normal'): Initializer {
  return {
    name,
    fill(arr, fanIn, fanOut, rng) {
      const fan = mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
      const variance = scale / Math.max(1, fan);
      if (dist === 'uniform') {
        const limit = Math.sqrt(3 * variance);
        rng.fillUniform(arr, -limit, limit);
      } else {
        truncatedNormal(arr, Math.sqrt(variance) / TRUNC_STD, rng);
      }
    },
    getConfig: () => ({}),
  };
}

function constant(value: number, name = 'constant'): Initializer {
  checkNumber('initializers.constant', 'value', value);
  return { name, fill: (arr) => { arr.fill(value); }, getConfig: () => (name === 'constant' ? { value } : {}) };
}

/** Factories by Keras name; each returns a fresh initializer. */
export const initializers = {
  zeros: (): Initializer => constant(0, 'zeros'),
  ones: (): Initializer => constant(1, 'ones'),
  constant: (o: { value?: number } = {}): Initializer => constant(checkKeys('constant', o, ['value']).value as number ?? 0),
  randomNormal: (o: { mean?: number; stddev?: number } = {}): Initializer => {
    const { mean = 0, stddev = 0.05 } = checkKeys('randomNormal', o, ['mean', 'stddev']) as { mean?: number; stddev?: number };
    checkNumber('randomNormal', 'mean', mean); checkNonNegative('randomNormal', 'stddev', stddev);
    return { name: 'randomNormal', fill: (arr, _i, _o, rng) => { rng.fillNormal(arr, mean, stddev); }, getConfig: () => ({ mean, stddev }) };
  },
  randomUniform: (o: { minval?: number; maxval?: number } = {}): Initializer => {
    const { minval = -0.05, maxval = 0.05 } = checkKeys('randomUniform', o, ['minval', 'maxval']) as { minval?: number; maxval?: number };
    if (!(minval <= maxval)) throw new RangeError(`randomUniform: minval ${minval} > maxval ${maxval}`);
    return { name: 'randomUniform', fill: (arr, _i, _o, rng) => { rng.fillUniform(arr, minval, maxval); }, getConfig: () => ({ minval, maxval }) };
  },
  /** Glorot & Bengio 2010: limit √(6/(fanIn+fanOut)). PyTorch xavier_uniform_. */
  glorotUniform: (): Initializer => varianceScaling('glorotUniform', 1, 'fanAvg', 'uniform'),
  glorotNormal: (): Initializer => varianceScaling('glorotNormal', 1, 'fanAvg', 'normal'),
  /** He et al. 2015: variance 2/fanIn. PyTorch kaiming_uniform_(nonlinearity='relu'). */
  heUniform: (): Initializer => varianceScaling('heUniform', 2, 'fanIn', 'uniform'),
  heNormal: (): Initializer => varianceScaling('heNormal', 2, 'fanIn', 'normal'),
  lecunNormal: (): Initializer => varianceScaling('lecunNormal', 1, 'fanIn', 'normal'),
  lecunUniform: (): Initializer => varianceScaling('lecunUniform', 1, 'fanIn', 'uniform'),
};

const ALIASES: Record<string, keyof typeof initializers> = {
  xavierUniform: 'glorotUniform', xavierNormal: 'glorotNormal', kaimingUniform: 'heUniform', kaimingNormal: 'heNormal',
};

export type InitializerName = keyof typeof initializers | keyof typeof ALIASES;
export type InitializerArg = InitializerName | Initializer | { name: string; config?: Record<string, unknown> };

/** An initializer from a name, a {name, config} record (saved models) or an Initializer object. */
export function getInitializer(where: string, v: InitializerArg): Initializer {
  if (typeof v === 'object' && v !== null && typeof (v as Initializer).fill === 'function') return v as Initializer;
  const name = typeof v === 'string' ? v : (v as { name?: unknown })?.name;
  const config = typeof v === 'object' && v !== null ? (v as { config?: Record<string, unknown> }).config ?? {} : {};
  const key = typeof name === 'string' ? (ALIASES[name] ?? name) : undefined;
  if (key === undefined || !Object.hasOwn(initializers, key)) {
    throw new TypeError(`${where}: unknown initializer ${JSON.stringify(name)} (known: ${[...Object.keys(initializers), ...Object.keys(ALIASES)].join(', ')})`);
  }
  return (initializers[key as keyof typeof initializers] as (o: Record<string, unknown>) => Initializer)(config);
}

/** The JSON record of an initializer (for getConfig / save). */
export function initializerConfig(init: Initializer): { name: string; config: Record<string, unknown> } {
  return { name: init.name, config: init.getConfig() };
}

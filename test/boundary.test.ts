// The binding boundary: every native entry point, through the native backend (validated in
// TypeScript) and through the raw addon (re-checked in C++), called with a wrong type, a too-short or
// detached array, or a negative / NaN / non-integer / overflowing size, throws a TypeError or
// RangeError naming the kernel and the argument, and the process lives on.
import { describe, expect, it } from 'vitest';
import { backends } from '../lib/index';
import type { RawBinding } from '../lib/backend/binding';

const native = backends.native!;
const raw = (native as unknown as { binding: RawBinding }).binding;

type Kind = 'bool' | 'dim' | 'num' | 'arr' | 'arrOrNull' | 'act';
interface Spec {
  kernel: string;
  params: [string, Kind][];
  /** Valid arguments; `actCode` switches activation names to the raw addon's integer codes. */
  valid(actCode: boolean): unknown[];
}

const f = (n: number) => new Float32Array(n);
const SPECS: Spec[] = [
  { kernel: 'sgemm', params: [['transA', 'bool'], ['transB', 'bool'], ['m', 'dim'], ['n', 'dim'], ['k', 'dim'], ['alpha', 'num'],
    ['a', 'arr'], ['lda', 'dim'], ['b', 'arr'], ['ldb', 'dim'], ['beta', 'num'], ['c', 'arr'], ['ldc', 'dim']],
    valid: () => [false, false, 3, 4, 5, 1, f(15), 5, f(20), 4, 0, f(12), 4] },
  { kernel: 'sgemmBiasAct', params: [['transA', 'bool'], ['transB', 'bool'], ['m', 'dim'], ['n', 'dim'], ['k', 'dim'],
    ['a', 'arr'], ['lda', 'dim'], ['b', 'arr'], ['ldb', 'dim'], ['bias', 'arrOrNull'], ['act', 'act'], ['actParam', 'num'],
    ['c', 'arr'], ['ldc', 'dim']],
    valid: (code) => [false, true, 3, 4, 5, f(15), 5, f(20), 5, f(4), code ? 1 : 'relu', 0, f(12), 4] },
  { kernel: 'axpy', params: [['n', 'dim'], ['alpha', 'num'], ['x', 'arr'], ['y', 'arr']], valid: () => [6, 2, f(6), f(6)] },
  { kernel: 'scale', params: [['n', 'dim'], ['alpha', 'num'], ['x', 'arr'], ['out', 'arr']], valid: () => [6, 2, f(6), f(6)] },
  { kernel: 'add', params: [['n', 'dim'], ['a', 'arr'], ['b', 'arr'], ['out', 'arr']], valid: () => [6, f(6), f(6), f(6)] },
  { kernel: 'mul', params: [['n', 'dim'], ['a', 'arr'], ['b', 'arr'], ['out', 'arr']], valid: () => [6, f(6), f(6), f(6)] },
  { kernel: 'biasAdd', params: [['rows', 'dim'], ['cols', 'dim'], ['x', 'arr'], ['bias', 'arr'], ['out', 'arr']],
    valid: () => [2, 3, f(6), f(3), f(6)] },
  { kernel: 'colSum', params: [['rows', 'dim'], ['cols', 'dim'], ['alpha', 'num'], ['x', 'arr'], ['beta', 'num'], ['out', 'arr']],
    valid: () => [2, 3, 1, f(6), 0, f(3)] },
  // norm family (issue 4): column statistics, affine maps, batch norm
  { kernel: 'colMinMax', params: [['rows', 'dim'], ['cols', 'dim'], ['x', 'arr'], ['min', 'arr'], ['max', 'arr']],
    valid: () => [2, 3, f(6), f(3), f(3)] },
  { kernel: 'colMeanVar', params: [['rows', 'dim'], ['cols', 'dim'], ['x', 'arr'], ['mean', 'arr'], ['variance', 'arr']],
    valid: () => [2, 3, f(6), f(3), f(3)] },
  ...(['colAffine', 'colAffineInverse'] as const).map((kernel): Spec => ({ kernel,
    params: [['rows', 'dim'], ['cols', 'dim'], ['x', 'arr'], ['shift', 'arr'], ['scale', 'arr'], ['out', 'arr']],
    valid: () => [2, 3, f(6), f(3), f(3).fill(1), f(6)] })),
  { kernel: 'batchNormForwardTraining', params: [['rows', 'dim'], ['cols', 'dim'], ['x', 'arr'], ['gamma', 'arr'],
    ['beta', 'arr'], ['eps', 'num'], ['momentum', 'num'], ['runningMean', 'arr'], ['runningVar', 'arr'], ['out', 'arr'],
    ['saveMean', 'arr'], ['saveInvstd', 'arr']],
    valid: () => [2, 3, f(6), f(3), f(3), 1e-5, 0.1, f(3), f(3), f(6), f(3), f(3)] },
  { kernel: 'batchNormForwardInference', params: [['rows', 'dim'], ['cols', 'dim'], ['x', 'arr'], ['gamma', 'arr'],
    ['beta', 'arr'], ['eps', 'num'], ['runningMean', 'arr'], ['runningVar', 'arr'], ['out', 'arr']],
    valid: () => [2, 3, f(6), f(3), f(3), 1e-5, f(3), f(3).fill(1), f(6)] },
  { kernel: 'batchNormBackward', params: [['rows', 'dim'], ['cols', 'dim'], ['x', 'arr'], ['dy', 'arr'], ['gamma', 'arr'],
    ['saveMean', 'arr'], ['saveInvstd', 'arr'], ['dx', 'arr'], ['dgamma', 'arr'], ['dbeta', 'arr'], ['accumulate', 'bool']],
    valid: () => [2, 3, f(6), f(6), f(3), f(3), f(3), f(6), f(3), f(3), true] },
  { kernel: 'activationForward', params: [['act', 'act'], ['actParam', 'num'], ['n', 'dim'], ['x', 'arr'], ['out', 'arr']],
    valid: (code) => [code ? 3 : 'sigmoid', 0, 6, f(6), f(6)] },
  { kernel: 'activationBackward', params: [['act', 'act'], ['actParam', 'num'], ['n', 'dim'], ['x', 'arrOrNull'],
    ['y', 'arrOrNull'], ['dy', 'arr'], ['dx', 'arr']],
    valid: (code) => [code ? 5 : 'gelu', 0, 6, f(6), f(6), f(6), f(6)] },
];

function detached(n: number): Float32Array {
  const buf = new ArrayBuffer(n * 4);
  const arr = new Float32Array(buf);
  structuredClone(buf, { transfer: [buf] });
  return arr; // length 0 now
}

/** Bad values for each kind of argument and the error class they must raise. */
function badValues(kind: Kind, raw: boolean): [string, unknown, typeof TypeError | typeof RangeError][] {
  switch (kind) {
    case 'bool': return [['number', 1, TypeError], ['string', 'true', TypeError], ['undefined', undefined, TypeError]];
    case 'dim': return [['-1', -1, RangeError], ['NaN', NaN, RangeError], ['2.5', 2.5, RangeError],
      ['2^53', 2 ** 53, RangeError], ['Infinity', Infinity, RangeError], ['string', '3', TypeError], ['undefined', undefined, TypeError]];
    case 'num': return [['string', 'x', TypeError], ['undefined', undefined, TypeError]];
    case 'act': return raw ? [['code 99', 99, RangeError], ['-1', -1, RangeError], ['string', 'relu', TypeError]]
      : [['unknown name', 'swish', TypeError], ['number', 1, TypeError], ['undefined', undefined, TypeError]];
    case 'arr':
    case 'arrOrNull': {
      const list: [string, unknown, typeof TypeError | typeof RangeError][] = [
        ['plain Array', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], TypeError],
        ['Float64Array', new Float64Array(64), TypeError], ['Int32Array', new Int32Array(64), TypeError],
        ['number', 5, TypeError], ['too short', f(1), RangeError], ['detached', detached(64), RangeError]];
      if (kind === 'arr') list.push(['undefined', undefined, TypeError], ['null', null, TypeError]);
      return list;
    }
  }
}

function callWith(target: 'backend' | 'raw', spec: Spec, args: unknown[]): void {
  const fn = target === 'raw' ? (raw as unknown as Record<string, (...a: unknown[]) => void>)[spec.kernel]!
    : (native as unknown as Record<string, (...a: unknown[]) => void>)[spec.kernel]!.bind(native);
  fn(...args);
}

for (const target of ['backend', 'raw'] as const) {
  describe(`native ${target} boundary`, () => {
    for (const spec of SPECS) {
      it(`${spec.kernel}: valid arguments run`, () => {
        expect(() => callWith(target, spec, spec.valid(target === 'raw'))).not.toThrow();
      });
      spec.params.forEach(([name, kind], i) => {
        for (const [what, value, cls] of badValues(kind, target === 'raw')) {
          // gelu's backward does not read y, so a bad y there is not an error of that call.
          if (spec.kernel === 'activationBackward' && name === 'y' && cls === RangeError) continue;
          it(`${spec.kernel}: ${name} = ${what} → ${cls.name}`, () => {
            const args = spec.valid(target === 'raw');
            args[i] = value;
            let err: unknown;
            try {
              callWith(target, spec, args);
            } catch (e) {
              err = e;
            }
            expect(err, `${spec.kernel}(${name} = ${what}) did not throw`).toBeInstanceOf(cls);
            const msg = (err as Error).message;
            expect(msg).toContain(spec.kernel);
            expect(msg).toContain(name);
          });
        }
      });
    }
  });
}

describe('raw addon: sizes whose extents overflow', () => {
  it('rejects m = n = k = 2^31 with short arrays without touching memory', () => {
    const big = 2 ** 31;
    expect(() => raw.sgemm(false, false, big, big, big, 1, f(4), big, f(4), big, 0, f(4), big)).toThrow(RangeError);
    expect(() => raw.sgemm(false, false, 2 ** 52, 2 ** 52, 1, 1, f(4), 1, f(4), 2 ** 52, 0, f(4), 2 ** 52)).toThrow(/too large|length/);
    expect(() => raw.biasAdd(2 ** 40, 2 ** 40, f(4), f(4), f(4))).toThrow(/too large/);
  });

  it('rejects lda smaller than the columns of A', () => {
    expect(() => raw.sgemm(false, false, 3, 4, 5, 1, f(15), 4, f(20), 4, 0, f(12), 4)).toThrow(/lda 4 < 5/);
    expect(() => native.sgemm(false, false, 3, 4, 5, 1, f(15), 4, f(20), 4, 0, f(12), 4)).toThrow(/lda/);
  });

  it('the message of a short array names the length and the requirement', () => {
    expect(() => native.sgemm(false, false, 3, 4, 5, 1, f(12), 5, f(20), 4, 0, f(12), 4)).toThrow(/a\.length 12 < m\*k = 15/);
  });
});

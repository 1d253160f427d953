// Loads the native addon (build/Release, build/Debug, then prebuilds/<platform>-<arch>, via
// node-gyp-build) and describes its raw entry points. Loading never throws: a missing or broken
// binary is reported as { binding: null, error } and the reference backend takes over (select.ts).
import path = require('node:path');
import load = require('node-gyp-build');
import type { RawNormBinding } from './binding_norm';
import type { RawOptimBinding } from './binding_optim';

/** The addon's exports (native/binding.cc). Arguments are validated again there, memory-wise. */
export interface RawBinding extends RawNormBinding, RawOptimBinding {
  sgemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Float32Array, lda: number, b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number): void;
  sgemmBiasAct(transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: Float32Array, lda: number, b: Float32Array, ldb: number, bias: Float32Array | null,
    act: number, actParam: number, c: Float32Array, ldc: number): void;
  axpy(n: number, alpha: number, x: Float32Array, y: Float32Array): void;
  scale(n: number, alpha: number, x: Float32Array, out: Float32Array): void;
  add(n: number, a: Float32Array, b: Float32Array, out: Float32Array): void;
  mul(n: number, a: Float32Array, b: Float32Array, out: Float32Array): void;
  biasAdd(rows: number, cols: number, x: Float32Array, bias: Float32Array, out: Float32Array): void;
  colSum(rows: number, cols: number, alpha: number, x: Float32Array, beta: number, out: Float32Array): void;
  activationForward(act: number, actParam: number, n: number, x: Float32Array, out: Float32Array): void;
  activationBackward(act: number, actParam: number, n: number, x: Float32Array | null, y: Float32Array | null,
    dy: Float32Array, dx: Float32Array): void;
  availableIsas(): string[];
  selectIsa(name: string): boolean;
  currentIsa(): string;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  cpuCount(): number;
  /** Block sizes of the active ISA's GEMM: the main tile, and the narrow tile used when n ≤ narrow.nr. */
  gemmConfig(): GemmConfigInfo & { narrow: GemmConfigInfo };
}

export interface GemmConfigInfo {
  mr: number;
  nr: number;
  kc: number;
  mc: number;
  nc: number;
}

/** The package root: this file lives in lib/backend (tests) or dist/backend (published). */
export const packageRoot = path.join(__dirname, '..', '..');

export function loadBinding(): { binding: RawBinding | null; error?: string } {
  try {
    return { binding: load(packageRoot) as RawBinding };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { binding: null, error: msg.split('\n')[0] };
  }
}

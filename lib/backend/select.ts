// Backend selection, read once at load (DESIGN.md "Package and loading"): SIMDGRAD_BACKEND
// (native | reference), SIMDGRAD_ISA (scalar | avx2 | avx512 | neon), SIMDGRAD_THREADS (n).
// A forced choice that cannot be honoured throws at load, naming what is available. Without a native
// binary the reference backend is used and one warning line says why and how to fix it.
import type { Backend } from './backend';
import { loadBinding } from './binding';
import { NativeBackend } from './native';
import { reference } from './reference';

const pkg = require('../../package.json') as { version: string };

export interface BackendInfo {
  /** The active backend's name. */
  backend: 'native' | 'reference';
  /** The active backend's instruction set ('js' for the reference backend). */
  isa: string;
  /** Instruction sets the native backend supports here, best first ([] without a native binary). */
  isas: string[];
  /** Threads of the native pool (1 without a native binary). */
  threads: number;
  version: string;
  /** Why the native binary did not load, when it did not. */
  nativeError?: string;
}

const loaded = loadBinding();
const native: NativeBackend | null = loaded.binding ? new NativeBackend(loaded.binding) : null;

/** Every backend of this process: `reference` always, `native` null when no binary loads. */
export const backends: { readonly reference: Backend; readonly native: Backend | null } = Object.freeze({
  reference,
  native,
});

function envChoice(): Backend {
  const env = process.env;
  const threads = env.SIMDGRAD_THREADS;
  if (threads !== undefined && threads !== '') {
    const n = Number(threads);
    if (!Number.isInteger(n) || n < 1 || n > 256) {
      throw new RangeError(`SIMDGRAD_THREADS=${threads} is not an integer in [1, 256]`);
    }
    native?.binding.setNumThreads(n);
  }
  const isa = env.SIMDGRAD_ISA;
  if (isa !== undefined && isa !== '') {
    if (!native) {
      throw new Error(`SIMDGRAD_ISA=${isa} needs the native backend, which did not load (${loaded.error}); ` +
        'available: reference backend only');
    }
    if (!native.binding.selectIsa(isa)) {
      throw new Error(`SIMDGRAD_ISA=${isa} is not available on this machine; available: ` +
        native.binding.availableIsas().join(', '));
    }
  }
  const which = env.SIMDGRAD_BACKEND;
  if (which === undefined || which === '') {
    if (native) return native;
    console.warn(`simdgrad: native backend not loaded (${loaded.error}); using the slower reference backend. ` +
      'Fix: `npm rebuild simdgrad` with a C++ toolchain (g++, make, python3), or set SIMDGRAD_BACKEND=reference ' +
      'to choose it without this warning.');
    return reference;
  }
  if (which === 'reference') return reference;
  if (which === 'native') {
    if (!native) throw new Error(`SIMDGRAD_BACKEND=native but the native addon did not load: ${loaded.error}`);
    return native;
  }
  throw new Error(`SIMDGRAD_BACKEND=${which} is unknown; available: ${native ? 'native, reference' : 'reference'}`);
}

let active: Backend = envChoice();

/** The active backend, which layers and optimizers use. */
export function backend(): Backend {
  return active;
}

/** Makes 'native' or 'reference' the active backend (overrides SIMDGRAD_BACKEND). */
export function setBackend(name: 'native' | 'reference'): void {
  if (name === 'reference') active = reference;
  else if (name === 'native') {
    if (!native) throw new Error(`setBackend: the native addon did not load: ${loaded.error}`);
    active = native;
  } else throw new TypeError(`setBackend: name must be 'native' or 'reference', got ${String(name)}`);
}

export function backendInfo(): BackendInfo {
  const info: BackendInfo = {
    backend: active.name,
    isa: active.isa,
    isas: native ? native.binding.availableIsas() : [],
    threads: getNumThreads(),
    version: pkg.version,
  };
  if (!native) info.nativeError = loaded.error;
  return info;
}

/** Sets the native thread pool's size (the reference backend is single-threaded). */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new RangeError(`setNumThreads: n must be an integer in [1, 256], got ${n}`);
  }
  native?.binding.setNumThreads(n);
}

export function getNumThreads(): number {
  return native ? native.binding.getNumThreads() : 1;
}

// Scratch buffers keyed by name and batch size, allocated on first use and reused afterwards, so a
// training step allocates nothing (a full batch and the last partial batch each get their own set).
// Not here: sharing buffers between layers (each layer's output must live until its backward).
import type { FloatArray } from '../backend/backend';
import type { DType } from '../tensor';

export class BufferPool {
  private readonly buffers = new Map<string, FloatArray>();

  /** The buffer `key` for batch size n with `size` elements of `dtype`. */
  get(key: string, n: number, size: number, dtype: DType): FloatArray {
    const k = `${key}:${n}`;
    let b = this.buffers.get(k);
    if (b === undefined || b.length !== size || (dtype === 'float64') !== (b instanceof Float64Array)) {
      b = dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
      this.buffers.set(k, b);
    }
    return b;
  }

  clear(): void { this.buffers.clear(); }
}

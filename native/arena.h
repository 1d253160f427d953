// Per-thread scratch memory for kernels that need workspace (GEMM packing). Each JS thread that calls
// into the addon owns one growing, 64-byte-aligned buffer; nothing is global, so worker_threads never
// share scratch. The binding frees a thread's buffer when its Node environment shuts down.
#pragma once
#include <stddef.h>

namespace simdgrad {

// At least `floats` floats of this thread's scratch, or null when memory runs out. The contents are
// undefined; the pointer stays valid until the next arena_get or arena_release on this thread.
float* arena_get(size_t floats) noexcept;
// Frees this thread's scratch.
void arena_release() noexcept;

}  // namespace simdgrad

// See arena.h. A trivially destructible thread_local (no TLS destructor registration needed).
#include "arena.h"

#include <stdlib.h>
#include <sys/mman.h>

namespace simdgrad {
namespace {
struct Arena {
  float* data;
  size_t cap;  // floats
};
thread_local Arena tls_arena = {nullptr, 0};
}  // namespace

float* arena_get(size_t floats) noexcept {
  Arena& a = tls_arena;
  if (floats <= a.cap && a.data) return a.data;
  free(a.data);
  a.data = nullptr;
  a.cap = 0;
  size_t want = floats + floats / 4;  // headroom so slightly larger calls do not reallocate
  size_t bytes = (want * sizeof(float) + 4095) & ~(size_t)4095;
  // Scratch of 2 MiB or more (GEMM's packed panels) is asked for in transparent huge pages: a packed
  // A block and B panel then take a few TLB entries instead of hundreds (packing B for 1024²: 6% → 4%).
  const size_t huge = (size_t)2 << 20;
  bool big = bytes >= huge;
  if (big) bytes = (bytes + huge - 1) & ~(huge - 1);
  void* p = aligned_alloc(big ? huge : 64, bytes);
  if (!p) return nullptr;
#ifdef MADV_HUGEPAGE
  if (big) madvise(p, bytes, MADV_HUGEPAGE);
#endif
  a.data = (float*)p;
  a.cap = bytes / sizeof(float);
  return a.data;
}

void arena_release() noexcept {
  free(tls_arena.data);
  tls_arena.data = nullptr;
  tls_arena.cap = 0;
}

}  // namespace simdgrad

// See arena.h. A trivially destructible thread_local (no TLS destructor registration needed).
#include "arena.h"

#include <stdlib.h>

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
  void* p = aligned_alloc(64, bytes);
  if (!p) return nullptr;
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

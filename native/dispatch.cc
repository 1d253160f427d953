// ISA detection and the process-wide active kernel table. GCC's __builtin_cpu_supports checks both
// CPUID and the OS-enabled state in XCR0, so AVX-512 is not chosen where the kernel does not save
// the ZMM registers (ggml's FIXME, STYLE.md).
#include "dispatch.h"

#include <string.h>

#include <atomic>

namespace simdgrad {
namespace {

bool has_avx512() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

bool has_avx2() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

// The active table; null until first use, then the best supported ISA unless one was selected.
std::atomic<const KernelTable*> g_active{nullptr};

const KernelTable* best() {
  const KernelTable* list[4];
  dispatch_available(list);
  return list[0];
}

}  // namespace

size_t dispatch_available(const KernelTable* out[4]) noexcept {
  size_t n = 0;
  if (kernels_avx512() && has_avx512()) out[n++] = kernels_avx512();
  if (kernels_avx2() && has_avx2()) out[n++] = kernels_avx2();
  if (kernels_neon()) out[n++] = kernels_neon();  // built only for arm64, where NEON is baseline
  out[n++] = kernels_scalar();
  return n;
}

const KernelTable* dispatch_current() noexcept {
  const KernelTable* t = g_active.load(std::memory_order_acquire);
  if (t) return t;
  const KernelTable* expected = nullptr;
  g_active.compare_exchange_strong(expected, best(), std::memory_order_acq_rel);
  return g_active.load(std::memory_order_acquire);
}

bool dispatch_select(const char* name) noexcept {
  const KernelTable* list[4];
  size_t n = dispatch_available(list);
  for (size_t i = 0; i < n; ++i) {
    if (strcmp(list[i]->isa, name) == 0) {
      g_active.store(list[i], std::memory_order_release);
      return true;
    }
  }
  return false;
}

}  // namespace simdgrad

// Floating-point environment for native calls (DESIGN.md): flush-to-zero and denormals-are-zero for
// the duration of a call, the caller's MXCSR (x86-64) or FPCR (arm64) restored afterwards, so V8's
// own math never sees the change. Generic code only: never include from an ISA-flagged file.
#pragma once

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
namespace simdgrad {
typedef unsigned FpState;
constexpr unsigned kFtzDaz = 0x8040;  // MXCSR bits FTZ (15) and DAZ (6)
inline FpState fp_get() { return _mm_getcsr(); }
inline void fp_set(FpState s) { _mm_setcsr(s); }
inline FpState fp_flushing(FpState s) { return s | kFtzDaz; }
}  // namespace simdgrad
#elif defined(__aarch64__)
namespace simdgrad {
typedef unsigned long FpState;
inline FpState fp_get() { FpState s; asm volatile("mrs %0, fpcr" : "=r"(s)); return s; }
inline void fp_set(FpState s) { asm volatile("msr fpcr, %0" : : "r"(s)); }
inline FpState fp_flushing(FpState s) { return s | (1UL << 24); }  // FPCR.FZ
}  // namespace simdgrad
#else
namespace simdgrad {
typedef unsigned FpState;
inline FpState fp_get() { return 0; }
inline void fp_set(FpState) {}
inline FpState fp_flushing(FpState s) { return s; }
}  // namespace simdgrad
#endif

namespace simdgrad {
// RAII: flush denormals inside a native call, restore the caller's state on return.
class FlushDenormalsScope {
 public:
  FlushDenormalsScope() : saved_(fp_get()) {
    FpState want = fp_flushing(saved_);
    if (want != saved_) fp_set(want);
  }
  ~FlushDenormalsScope() {
    if (fp_get() != saved_) fp_set(saved_);
  }
  FlushDenormalsScope(const FlushDenormalsScope&) = delete;
  FlushDenormalsScope& operator=(const FlushDenormalsScope&) = delete;

 private:
  FpState saved_;
};
// For pool workers, which only ever run our kernels.
inline void set_flush_denormals_forever() { fp_set(fp_flushing(fp_get())); }
}  // namespace simdgrad

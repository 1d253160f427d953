// Threaded driver for the optim kernels of the active table (see ops_optim.h): the list of tensors is
// one index space [0, total); parallel_ranges cuts it into per-thread ranges and each range is stepped
// tensor by tensor, so 50 small tensors cost one pool hand-off, and one big tensor is split evenly.
#include "ops_optim.h"

#include "../ops/parallel.h"

namespace simdgrad {
namespace {

// Memory-bound (Adam moves 28 B per element): below 64K elements per thread the hand-off costs more.
constexpr size_t kOptimChunk = 1 << 16;
constexpr size_t kAlign = 64;

struct StepJob {
  OptimStepFn fn;
  const OptimList* l;
  const OptimHyper* h;
};

// First tensor whose range ends after index b (offsets are non-decreasing).
size_t first_tensor(const OptimList& l, size_t b) {
  size_t lo = 0, hi = l.count;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (l.offset[mid + 1] <= b) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

float* at(float* const* s, size_t i, size_t off) { return s && s[i] ? s[i] + off : nullptr; }

void step_range(void* ctx, size_t b, size_t e) {
  const StepJob* j = (const StepJob*)ctx;
  const OptimList& l = *j->l;
  for (size_t i = first_tensor(l, b); i < l.count && l.offset[i] < e; ++i) {
    size_t lo = b > l.offset[i] ? b - l.offset[i] : 0;
    size_t hi = (e < l.offset[i + 1] ? e : l.offset[i + 1]) - l.offset[i];
    if (lo >= hi) continue;
    j->fn(hi - lo, l.p[i] + lo, l.g[i] + lo, at(l.s0, i, lo), at(l.s1, i, lo), at(l.s2, i, lo), j->h);
  }
}

}  // namespace

void op_optim_step(OptimStepFn fn, const OptimList& list, const OptimHyper& h) noexcept {
  StepJob job{fn, &list, &h};
  parallel_ranges(list.offset[list.count], kOptimChunk, kAlign, step_range, &job);
}

}  // namespace simdgrad

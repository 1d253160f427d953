// See parallel.h.
#include "parallel.h"

#include "../pool.h"

namespace simdgrad {
namespace {
struct RangeJob {
  size_t n, chunk;
  RangeFn fn;
  void* ctx;
};
void range_task(void* p, size_t task, size_t) {
  RangeJob* j = (RangeJob*)p;
  size_t b = task * j->chunk, e = b + j->chunk < j->n ? b + j->chunk : j->n;
  if (b < e) j->fn(j->ctx, b, e);
}
}  // namespace

void parallel_ranges(size_t n, size_t min_chunk, size_t align, RangeFn fn, void* ctx) noexcept {
  size_t threads = pool_num_threads();
  size_t parts = min_chunk ? n / min_chunk : threads;
  if (parts > threads) parts = threads;
  if (parts <= 1) {
    if (n) fn(ctx, 0, n);
    return;
  }
  size_t chunk = (n + parts - 1) / parts;
  chunk = (chunk + align - 1) / align * align;
  RangeJob job{n, chunk, fn, ctx};
  pool_run((n + chunk - 1) / chunk, range_task, &job);
}

}  // namespace simdgrad

// Splitting a 1-D range over the pool: equal chunks aligned to `align` elements, one per thread,
// only when each chunk would hold at least `min_chunk` elements (below that the hand-off costs more
// than it saves). Chunk boundaries depend on the thread count, so only use this for work whose
// result does not depend on where the range is cut (elementwise maps, per-column or per-row work).
#pragma once
#include <stddef.h>

namespace simdgrad {

typedef void (*RangeFn)(void* ctx, size_t begin, size_t end);
void parallel_ranges(size_t n, size_t min_chunk, size_t align, RangeFn fn, void* ctx) noexcept;

}  // namespace simdgrad

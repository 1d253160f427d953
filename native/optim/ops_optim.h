// Threaded driver for the optimizer kernels: steps a list of tensors as one concatenated index space,
// split over the pool above a size threshold. Arguments are already validated by the binding.
// Results do not depend on the thread count (every update is elementwise).
#pragma once
#include <stddef.h>

#include "../kernels.h"

namespace simdgrad {

// count tensors; tensor i has offset[i+1] − offset[i] elements (offset[0] = 0). s0/s1/s2 are arrays of
// count pointers, or null when the family does not use that state.
struct OptimList {
  size_t count;
  const size_t* offset;
  float* const* p;
  const float* const* g;
  float* const* s0;
  float* const* s1;
  float* const* s2;
};

void op_optim_step(OptimStepFn fn, const OptimList& list, const OptimHyper& h) noexcept;

}  // namespace simdgrad

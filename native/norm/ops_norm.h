// Threaded drivers for the norm kernels (norm_kernels.h) of a kernel table. Arguments are already
// validated by the binding (sizes, lengths). Reductions use fixed row chunks merged in chunk order, so
// results never depend on the thread count. Functions returning bool fail only when scratch memory
// cannot be allocated (nothing has been written then).
#pragma once
#include <stddef.h>

#include "../kernels.h"

namespace simdgrad {

bool op_col_min_max(const KernelTable* t, size_t rows, size_t cols, const float* x, float* mn, float* mx) noexcept;
bool op_col_mean_var(const KernelTable* t, size_t rows, size_t cols, const float* x, float* mean,
                     float* var) noexcept;
// inverse = false: out ← (x − shift)·scale; true: out ← x / scale + shift.
void op_col_affine(const KernelTable* t, size_t rows, size_t cols, const float* x, const float* shift,
                   const float* scale, float* out, bool inverse) noexcept;

struct BnForwardArgs {
  size_t rows, cols;
  const float *x, *gamma, *beta;
  float eps, momentum;
  float *running_mean, *running_var, *out, *save_mean, *save_invstd;
};
bool op_bn_forward_training(const KernelTable* t, const BnForwardArgs& a) noexcept;
// Uses running_mean / running_var; momentum, save_mean and save_invstd are ignored.
bool op_bn_forward_inference(const KernelTable* t, const BnForwardArgs& a) noexcept;

struct BnBackwardArgs {
  size_t rows, cols;
  const float *x, *dy, *gamma, *save_mean, *save_invstd;
  float *dx, *dgamma, *dbeta;
  bool accumulate;
};
bool op_bn_backward(const KernelTable* t, const BnBackwardArgs& a) noexcept;

}  // namespace simdgrad

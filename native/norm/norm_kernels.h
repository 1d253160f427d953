// Kernel-table entries for feature scaling, column statistics and batch normalization (issue 4).
// Plain declarations only (included by ISA-flagged files through kernels.h). Each entry is
// single-threaded, allocation-free and noexcept; threading lives in ops_norm.cc.
#pragma once
#include <stddef.h>

namespace simdgrad {

struct NormKernels {
  int unused_;  // placeholder until the first kernel of this family lands; remove then
};

}  // namespace simdgrad

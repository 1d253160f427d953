// Kernel-table entries for optimizer update steps (issue 5).
// Plain declarations only (included by ISA-flagged files through kernels.h). Each entry is
// single-threaded, allocation-free and noexcept; threading lives in ops_optim.cc.
#pragma once
#include <stddef.h>

namespace simdgrad {

struct OptimKernels {
  int unused_;  // placeholder until the first kernel of this family lands; remove then
};

}  // namespace simdgrad

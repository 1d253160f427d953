// The GEMM driver (BLIS / GotoBLAS structure), ISA-free: the five loops around the micro-kernel of
// the given table, packing of A and B (transposes absorbed there), edge tiles, threads, and the
// BLAS special cases. Arguments are already validated by the binding.
#pragma once
#include <stddef.h>

#include "../kernels.h"

namespace simdgrad {

struct GemmArgs {
  bool trans_a, trans_b;
  size_t m, n, k;
  float alpha;
  const float* a;
  size_t lda;
  const float* b;
  size_t ldb;
  float beta;
  float* c;
  size_t ldc;
  // Fused epilogue (sgemmBiasAct): C ← act(op(A)·op(B) + bias). With fused, alpha = 1 and beta = 0.
  const float* bias;  // length n, or null
  int act;
  float act_param;
};

// C ← act(alpha·op(A)·op(B) + beta·C + bias). Returns false only when scratch memory is exhausted
// (C is then unspecified).
bool sgemm_run(const KernelTable* t, const GemmArgs& g) noexcept;

}  // namespace simdgrad

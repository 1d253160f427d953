// Kernel-table entries for feature scaling, column statistics and batch normalization (issue 4).
// Plain declarations only (included by ISA-flagged files through kernels.h). Each entry is
// single-threaded, allocation-free and noexcept; threading, chunking and the per-column scalar math
// (Chan merges, 1/√(σ² + eps), running statistics) live in ops_norm.cc. Matrices: rows×cols, contiguous.
#pragma once
#include <stddef.h>

namespace simdgrad {

// Per-column operands of the flat kernels (col_affine, col_affine_inv) are periodic extensions of
// length cols + kNormExt: p[k] = p[k mod cols]; kNormExt ≥ the widest vector (16 floats).
constexpr size_t kNormExt = 16;

struct NormKernels {
  // mn[j] ← min(mn[j], x[i,j]), mx[j] ← max(mx[j], x[i,j]) over all rows; NaN propagates.
  void (*col_min_max)(size_t rows, size_t cols, const float* x, float* mn, float* mx);
  // Mean and M2 = Σ(x − mean)² per column of this row range (rows ≥ 1), written (not accumulated) to
  // mean/m2 in double: blocks of block_rows rows, each by two passes over the (cache-resident) block
  // with the corrected two-pass formula, merged with Chan et al.'s parallel update. A column holding
  // NaN or ±Inf gives a non-finite mean or M2 (which one unspecified: the shifted sums can make Inf − Inf);
  // the caller (ops_norm.cc) recomputes such columns. scratch: 3·cols floats.
  void (*col_moments)(size_t rows, size_t cols, size_t block_rows, const float* x, float* scratch,
                      double* mean, double* m2);
  // out ← (x − shift[j])·scale[j] (+ bias[j] when bias is not null); out may be x. shift, scale, bias:
  // periodic extensions (kNormExt). stream: non-temporal stores (large outputs not re-read soon).
  void (*col_affine)(size_t rows, size_t cols, const float* x, const float* shift, const float* scale,
                     const float* bias, float* out, int stream);
  // out ← x / scale[j] + shift[j]; out may be x; operands extended as for col_affine.
  void (*col_affine_inv)(size_t rows, size_t cols, const float* x, const float* shift, const float* scale,
                         float* out, int stream);
  // s1[j] ← Σ dy, s2[j] ← Σ dy·(x − mean[j]) over this row range, in double; float accumulation within
  // blocks of block_rows rows. scratch: 2·cols floats.
  void (*col_dy_sums)(size_t rows, size_t cols, size_t block_rows, const float* x, const float* dy,
                      const float* mean, float* scratch, double* s1, double* s2);
  // dx ← a[j]·dy + b[j]·(x − mean[j]) + c[j] (the batch-norm input gradient in affine form); dx may be dy.
  void (*bn_dx)(size_t rows, size_t cols, const float* x, const float* dy, const float* mean, const float* a,
                const float* b, const float* c, float* dx);
};

}  // namespace simdgrad

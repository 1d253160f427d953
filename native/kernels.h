// The kernel table: one instance per instruction set (isa/<isa>.cc), chosen once at load (dispatch.cc).
// Every entry is destination-passing over float32, noexcept, allocation-free and single-threaded:
// threading, validation and the floating-point environment are the caller's (ops/, binding.cc).
// Plain declarations only: this header is included by ISA-flagged translation units (no inline code).
#pragma once
#include <stddef.h>

#include "norm/norm_kernels.h"
#include "optim/optim_kernels.h"

namespace simdgrad {

// Activation codes, in the order of lib/backend/backend.ts ACTIVATIONS.
enum Act : int { ACT_NONE = 0, ACT_RELU = 1, ACT_LEAKY_RELU = 2, ACT_SIGMOID = 3, ACT_TANH = 4, ACT_GELU = 5 };
constexpr int ACT_COUNT = 6;

// What the GEMM micro-kernel does when it stores its MR×NR tile of accumulators `acc`:
//   C ← act(alpha·acc + beta·C + bias[j]); beta == 0 never reads C; bias may be null.
struct GemmEpilogue {
  float alpha;
  float beta;
  const float* bias;  // already offset to the tile's first column, or null
  int act;            // Act
  float act_param;    // leakyRelu slope
  // Not part of the epilogue but passed with it: a region the driver wants in L2 by the next call (the
  // next packed B sliver, so its first pass does not stream from L3). The micro-kernel (W > 1 builds)
  // fetches l2_next + p·l2_next_step at step p; null when there is nothing to fetch. Callers
  // value-initialize the struct (GemmEpilogue ep{}), so a path that never sets it leaves it null.
  const char* l2_next;
  size_t l2_next_step;
};

// Micro-kernel: at each of kc steps it reads MR values of A at a (then a += a_step) and NR values of
// B at b (then b += b_step): packed, zero-padded slivers have a_step = MR and b_step = NR; A and B can
// also be read in place (transposed A: a_step = lda; B: b_step = ldb) when all MR / NR values exist.
// The `ukernel_rows` variant reads a non-transposed A in place instead: A(i, p) = a[i·a_step + p].
// c is the tile's top-left corner with row stride ldc; only its top-left mr×nr part is touched.
typedef void (*GemmUkernelFn)(size_t kc, const float* a, const float* b, float* c, size_t ldc,
                              size_t mr, size_t nr, size_t a_step, size_t b_step, const GemmEpilogue* ep);

// Packs an MR-row sliver of a non-transposed (row-major, row stride lda) A: out[p·mr_tile + i] =
// a[i·lda + p] for i < mr, zero for mr ≤ i < mr_tile, p < kc. Null: the driver's generic loop.
// The same transposing copy packs NR-column slivers of a transposed B.
typedef void (*GemmPackAFn)(size_t mr_tile, size_t mr, size_t kc, const float* a, size_t lda, float* out);

// Register tile and cache blocking of one ISA (BLIS names): MR×NR register tile, KC depth of a
// packed panel, MC rows of packed A per block (L2), NC columns of packed B per panel (L3).
struct GemmConfig {
  size_t mr, nr, kc, mc, nc;
  GemmUkernelFn ukernel;
  GemmPackAFn pack_a_rows;
  // Shorter tiles of the same NR for the last, partial MR sliver (≤ 4 and ≤ 8 rows; null: the full
  // tile; each must have fewer rows than MR, as it reads its rows from an MR-row sliver): a 4-row
  // remainder then costs 4 rows of work, not MR (256 rows = 18·14 + 4 on AVX-512).
  GemmUkernelFn ukernel_upto4;
  GemmUkernelFn ukernel_upto8;
  // The full tile reading a row-major A in place (null: A is always packed). Skipping the pack of A
  // gains 4–5% at 256² and 1–2% at 512² on AVX-512 (the pack was 4% of a 256² product).
  GemmUkernelFn ukernel_rows;
};

// Narrow-C kernel (vectorized along m, see gemm/ukernel_cols_avx512.inc): C[mr×n] for 1 ≤ n ≤ max_n,
// A(i, p) = a[p·a_step + i] for i < MR (zero-padded), B(p, j) = b[p·b_kstep + j·b_jstep].
typedef void (*GemmColsFn)(size_t n, size_t kc, const float* a, size_t a_step, const float* b, size_t b_kstep,
                           size_t b_jstep, float* c, size_t ldc, size_t mr, const GemmEpilogue* ep);
struct GemmCols {
  size_t mr, max_n;
  GemmColsFn fn;  // null where the ISA has none
};

struct KernelTable {
  const char* isa;
  GemmConfig gemm;         // the main tile
  GemmConfig gemm_narrow;  // a taller, one-vector-wide tile for n ≤ its NR (e.g. 10-class logits)
  GemmCols gemm_cols;      // narrower still, where available: n ≤ max_n
  // y ← alpha·x + y
  void (*axpy)(size_t n, float alpha, const float* x, float* y);
  // out ← alpha·x (out may be x)
  void (*scale)(size_t n, float alpha, const float* x, float* out);
  // out ← a + b, out ← a ⊙ b (out may alias a or b)
  void (*add)(size_t n, const float* a, const float* b, float* out);
  void (*mul)(size_t n, const float* a, const float* b, float* out);
  // out[i,j] ← act(x[i,j] + bias[j]) over rows×cols with row strides ldx / ldo; bias may be null.
  void (*bias_act)(size_t rows, size_t cols, const float* x, size_t ldx, const float* bias,
                   int act, float act_param, float* out, size_t ldo);
  // out[j] ← alpha·Σ_i x[i,j] + beta·out[j] for columns [0, cols) of a matrix with row stride ldx;
  // beta == 0 does not read out. Summation order is fixed (blocks of rows), independent of threads.
  void (*col_sum)(size_t rows, size_t cols, size_t ldx, float alpha, const float* x, float beta, float* out);
  // out ← act(x) (out may be x)
  void (*act_forward)(int act, float act_param, size_t n, const float* x, float* out);
  // dx ← dy ⊙ act'(·): relu, leakyRelu, sigmoid, tanh read y (the output), gelu reads x (the input).
  void (*act_backward)(int act, float act_param, size_t n, const float* x, const float* y,
                       const float* dy, float* dx);

  // Families of kernels added by later issues, each declared in its own header.
  NormKernels norm;    // norm/norm_kernels.h
  OptimKernels optim;  // optim/optim_kernels.h
};

// One accessor per ISA compiled into this binary (null where the ISA is not built for this target).
const KernelTable* kernels_scalar();
const KernelTable* kernels_avx2();
const KernelTable* kernels_avx512();
const KernelTable* kernels_neon();

}  // namespace simdgrad

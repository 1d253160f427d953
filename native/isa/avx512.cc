// Kernel table for the avx512 instruction set: the shared kernel sources compiled with this ISA's
// vocabulary (simd/vec_avx512.h) inside an anonymous namespace, so no symbol built with these flags
// can be picked by the linker for generic code. Block sizes for the GEMM driver live here.
#include "../kernels.h"
#if defined(__x86_64__)
#include <immintrin.h>

namespace simdgrad {
namespace avx512 {
namespace {
#include "../simd/vec_avx512.h"
#include "../simd/vmath.inc"
#include "../kernels/elementwise.inc"
#include "../gemm/ukernel.inc"
#include "../gemm/pack_avx512.inc"
#include "../gemm/ukernel_cols_avx512.inc"
#include "../norm/kernels.inc"
#include "../optim/kernels.inc"
}  // namespace

const KernelTable table = {
    "avx512",
    {14, 2 * W, /*kc*/ 1024, /*mc*/ 168, /*nc*/ 2048, ukernel_t<14, 2>, pack_a_rows_k, ukernel_t<4, 2>, ukernel_t<8, 2>, ukernel_t<14, 2, true>},
    {28, 1 * W, /*kc*/ 1024, /*mc*/ 168, /*nc*/ 2048, ukernel_t<28, 1>, pack_a_rows_k, ukernel_t<4, 1>, ukernel_t<8, 1>, ukernel_t<28, 1, true>},
    {32, 12, ukernel_cols_k},
    axpy_k, scale_k, add_k, mul_k, bias_act_k, col_sum_k, act_forward_k, act_backward_k,
    NORM_TABLE,
    OPTIM_TABLE,
};
}  // namespace avx512

const KernelTable* kernels_avx512() { return &avx512::table; }
}  // namespace simdgrad
#else
namespace simdgrad { const KernelTable* kernels_avx512() { return nullptr; } }
#endif

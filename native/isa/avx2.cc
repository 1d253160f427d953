// Kernel table for the avx2 instruction set: the shared kernel sources compiled with this ISA's
// vocabulary (simd/vec_avx2.h) inside an anonymous namespace, so no symbol built with these flags
// can be picked by the linker for generic code. Block sizes for the GEMM driver live here.
#include "../kernels.h"
#if defined(__x86_64__)
#include <immintrin.h>

namespace simdgrad {
namespace avx2 {
namespace {
#include "../simd/vec_avx2.h"
#include "../simd/vmath.inc"
#include "../kernels/elementwise.inc"
#include "../gemm/ukernel.inc"
#include "../gemm/pack_avx2.inc"
#include "../norm/kernels.inc"
#include "../optim/kernels.inc"
}  // namespace

const KernelTable table = {
    "avx2",
    {6, 2 * W, /*kc*/ 256, /*mc*/ 120, /*nc*/ 4096, ukernel_t<6, 2>, pack_a_rows_k, ukernel_t<4, 2>, nullptr, ukernel_t<6, 2, true>},
    {12, 1 * W, /*kc*/ 256, /*mc*/ 120, /*nc*/ 4096, ukernel_t<12, 1>, pack_a_rows_k, ukernel_t<4, 1>, ukernel_t<8, 1>, ukernel_t<12, 1, true>},
    {0, 0, nullptr},
    axpy_k, scale_k, add_k, mul_k, bias_act_k, col_sum_k, act_forward_k, act_backward_k,
    NORM_TABLE,
    OPTIM_TABLE,
};
}  // namespace avx2

const KernelTable* kernels_avx2() { return &avx2::table; }
}  // namespace simdgrad
#else
namespace simdgrad { const KernelTable* kernels_avx2() { return nullptr; } }
#endif

// Kernel table for the neon instruction set: the shared kernel sources compiled with this ISA's
// vocabulary (simd/vec_neon.h) inside an anonymous namespace, so no symbol built with these flags
// can be picked by the linker for generic code. Block sizes for the GEMM driver live here.
#include "../kernels.h"
#if defined(__aarch64__)
#include <arm_neon.h>

namespace simdgrad {
namespace neon {
namespace {
#include "../simd/vec_neon.h"
#include "../simd/vmath.inc"
#include "../kernels/elementwise.inc"
#include "../gemm/ukernel.inc"
#include "../norm/kernels.inc"
#include "../optim/kernels.inc"
}  // namespace

const KernelTable table = {
    "neon",
    {8, 3 * W, /*kc*/ 256, /*mc*/ 128, /*nc*/ 3072, ukernel_t<8, 3>, nullptr, nullptr, nullptr, nullptr},
    {16, 1 * W, /*kc*/ 256, /*mc*/ 128, /*nc*/ 3072, ukernel_t<16, 1>, nullptr, nullptr, nullptr, nullptr},
    {0, 0, nullptr},
    axpy_k, scale_k, add_k, mul_k, bias_act_k, col_sum_k, act_forward_k, act_backward_k,
    NORM_TABLE,
    OPTIM_TABLE,
};
}  // namespace neon

const KernelTable* kernels_neon() { return &neon::table; }
}  // namespace simdgrad
#else
namespace simdgrad { const KernelTable* kernels_neon() { return nullptr; } }
#endif

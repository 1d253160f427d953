// Kernel table for the scalar instruction set: the shared kernel sources compiled with this ISA's
// vocabulary (simd/vec_scalar.h) inside an anonymous namespace, so no symbol built with these flags
// can be picked by the linker for generic code. Block sizes for the GEMM driver live here.
#include "../kernels.h"

namespace simdgrad {
namespace scalar {
namespace {
#include "../simd/vec_scalar.h"
#include "../simd/vmath.inc"
#include "../kernels/elementwise.inc"
#include "../gemm/ukernel.inc"
#include "../norm/kernels.inc"
#include "../optim/kernels.inc"
}  // namespace

const KernelTable table = {
    "scalar",
    {4, 8 * W, /*kc*/ 256, /*mc*/ 128, /*nc*/ 2048, ukernel_t<4, 8>, nullptr, nullptr, nullptr, nullptr},
    {8, 4 * W, /*kc*/ 256, /*mc*/ 128, /*nc*/ 2048, ukernel_t<8, 4>, nullptr, nullptr, nullptr, nullptr},
    {0, 0, nullptr},
    axpy_k, scale_k, add_k, mul_k, bias_act_k, col_sum_k, act_forward_k, act_backward_k,
    NORM_TABLE,
    OPTIM_TABLE,
};
}  // namespace scalar

const KernelTable* kernels_scalar() { return &scalar::table; }
}  // namespace simdgrad

// Threaded drivers for the elementwise kernels of the active table: each splits its range over the
// pool above a size threshold and calls the ISA kernel on every chunk. Arguments are already
// validated by the binding. Results do not depend on the thread count.
#pragma once
#include <stddef.h>

#include "../kernels.h"

namespace simdgrad {

void op_axpy(const KernelTable* t, size_t n, float alpha, const float* x, float* y) noexcept;
void op_scale(const KernelTable* t, size_t n, float alpha, const float* x, float* out) noexcept;
void op_add(const KernelTable* t, size_t n, const float* a, const float* b, float* out) noexcept;
void op_mul(const KernelTable* t, size_t n, const float* a, const float* b, float* out) noexcept;
void op_bias_act(const KernelTable* t, size_t rows, size_t cols, const float* x, const float* bias, int act,
                 float act_param, float* out) noexcept;
void op_col_sum(const KernelTable* t, size_t rows, size_t cols, float alpha, const float* x, float beta,
                float* out) noexcept;
void op_act_forward(const KernelTable* t, int act, float act_param, size_t n, const float* x, float* out) noexcept;
void op_act_backward(const KernelTable* t, int act, float act_param, size_t n, const float* x, const float* y,
                     const float* dy, float* dx) noexcept;

}  // namespace simdgrad

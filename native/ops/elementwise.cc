// See elementwise.h. Each op packs its arguments into a small struct and hands a range function to
// parallel_ranges; the per-chunk work is the ISA kernel on a sub-range.
#include "elementwise.h"

#include "parallel.h"

namespace simdgrad {
namespace {

// Memory-bound maps: below 64K floats (256 KiB) per thread the pool hand-off is not worth it.
constexpr size_t kMapChunk = 1 << 16;
// Activations with transcendental functions cost more per element: split earlier.
constexpr size_t kActChunk = 1 << 13;
constexpr size_t kAlign = 64;

struct MapArgs {
  const KernelTable* t;
  int act;
  float alpha;
  const float *x, *y, *a, *b;
  float* out;
  size_t rows, cols;
};

bool is_transcendental(int act) { return act == ACT_SIGMOID || act == ACT_TANH || act == ACT_GELU; }

}  // namespace

void op_axpy(const KernelTable* t, size_t n, float alpha, const float* x, float* y) noexcept {
  if (alpha == 0.0f) return;  // BLAS: x is not read (NaN in x does not reach y)
  MapArgs m{t, 0, alpha, x, nullptr, nullptr, nullptr, y, 0, 0};
  parallel_ranges(n, kMapChunk, kAlign, [](void* p, size_t b, size_t e) {
    MapArgs* a = (MapArgs*)p;
    a->t->axpy(e - b, a->alpha, a->x + b, a->out + b);
  }, &m);
}

void op_scale(const KernelTable* t, size_t n, float alpha, const float* x, float* out) noexcept {
  MapArgs m{t, 0, alpha, x, nullptr, nullptr, nullptr, out, 0, 0};
  parallel_ranges(n, kMapChunk, kAlign, [](void* p, size_t b, size_t e) {
    MapArgs* a = (MapArgs*)p;
    a->t->scale(e - b, a->alpha, a->x + b, a->out + b);
  }, &m);
}

void op_add(const KernelTable* t, size_t n, const float* a, const float* b, float* out) noexcept {
  MapArgs m{t, 0, 0, nullptr, nullptr, a, b, out, 0, 0};
  parallel_ranges(n, kMapChunk, kAlign, [](void* p, size_t s, size_t e) {
    MapArgs* a = (MapArgs*)p;
    a->t->add(e - s, a->a + s, a->b + s, a->out + s);
  }, &m);
}

void op_mul(const KernelTable* t, size_t n, const float* a, const float* b, float* out) noexcept {
  MapArgs m{t, 0, 0, nullptr, nullptr, a, b, out, 0, 0};
  parallel_ranges(n, kMapChunk, kAlign, [](void* p, size_t s, size_t e) {
    MapArgs* a = (MapArgs*)p;
    a->t->mul(e - s, a->a + s, a->b + s, a->out + s);
  }, &m);
}

void op_bias_act(const KernelTable* t, size_t rows, size_t cols, const float* x, const float* bias, int act,
                 float act_param, float* out) noexcept {
  MapArgs m{t, act, act_param, x, nullptr, bias, nullptr, out, rows, cols};
  size_t per_row = cols ? cols : 1;
  size_t chunk = (is_transcendental(act) ? kActChunk : kMapChunk) / per_row + 1;
  parallel_ranges(rows, chunk, 1, [](void* p, size_t b, size_t e) {
    MapArgs* a = (MapArgs*)p;
    a->t->bias_act(e - b, a->cols, a->x + b * a->cols, a->cols, a->a, a->act, a->alpha,
                   a->out + b * a->cols, a->cols);
  }, &m);
}

void op_col_sum(const KernelTable* t, size_t rows, size_t cols, float alpha, const float* x, float beta,
                float* out) noexcept {
  struct Args {
    const KernelTable* t;
    size_t rows, cols;
    float alpha, beta;
    const float* x;
    float* out;
  } m{t, rows, cols, alpha, beta, x, out};
  // Split by columns (each column summed by one thread, in one order): rows·chunk ≥ kMapChunk.
  size_t chunk = kMapChunk / (rows ? rows : 1) + 1;
  parallel_ranges(cols, chunk, kAlign, [](void* p, size_t b, size_t e) {
    Args* a = (Args*)p;
    a->t->col_sum(a->rows, e - b, a->cols, a->alpha, a->x + b, a->beta, a->out + b);
  }, &m);
}

void op_act_forward(const KernelTable* t, int act, float act_param, size_t n, const float* x, float* out) noexcept {
  MapArgs m{t, act, act_param, x, nullptr, nullptr, nullptr, out, 0, 0};
  parallel_ranges(n, is_transcendental(act) ? kActChunk : kMapChunk, kAlign, [](void* p, size_t b, size_t e) {
    MapArgs* a = (MapArgs*)p;
    a->t->act_forward(a->act, a->alpha, e - b, a->x + b, a->out + b);
  }, &m);
}

void op_act_backward(const KernelTable* t, int act, float act_param, size_t n, const float* x, const float* y,
                     const float* dy, float* dx) noexcept {
  MapArgs m{t, act, act_param, x, y, dy, nullptr, dx, 0, 0};
  parallel_ranges(n, act == ACT_GELU ? kActChunk : kMapChunk, kAlign, [](void* p, size_t b, size_t e) {
    MapArgs* a = (MapArgs*)p;
    a->t->act_backward(a->act, a->alpha, e - b, a->x ? a->x + b : nullptr, a->y ? a->y + b : nullptr,
                       a->a + b, a->out + b);
  }, &m);
}

}  // namespace simdgrad

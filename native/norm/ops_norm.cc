// Threaded drivers for the norm kernels (see ops_norm.h). Reductions split rows into fixed chunks of
// about kChunkBytes (a multiple of the cache block), at most kMaxChunks of them and at most
// kMaxPartials chunk·columns (the per-chunk partials stay small next to the input, also for wide
// matrices), computed by the pool in any order and merged in chunk order with Chan et al.'s formula:
// the chunking depends on rows and cols only, never on the thread count.
// Elementwise passes split rows with parallel_ranges. Per-column scalar math (1/√(σ² + eps), running
// statistics) runs here in double. Not here: argument checks (binding_norm.cc), SIMD (kernels.inc).
#include "ops_norm.h"

#include <math.h>

#include "../arena.h"
#include "../ops/parallel.h"
#include "../pool.h"

namespace simdgrad {
namespace {

constexpr size_t kBlockBytes = 128 * 1024;   // a row block both passes of col_moments touch: fits L2
constexpr size_t kMaxBlockRows = 256;        // float partial sums over at most 256 rows
constexpr size_t kChunkBytes = 1024 * 1024;  // a pool task's rows: ~50 tasks for 200000×64 (balance)
constexpr size_t kMaxChunks = 64;            // enough tasks to balance any pool; bounds the merge work
constexpr size_t kMaxPartials = 1u << 19;    // chunks·cols: 2 doubles each, ≤ 8 MiB of partials
constexpr size_t kMapChunk = 1 << 16;        // elementwise: below 64K floats per thread, no hand-off
constexpr size_t kStreamBytes = 16u << 20;   // outputs this large bypass the cache (non-temporal stores)

size_t block_rows(size_t cols) {
  size_t b = kBlockBytes / (cols * sizeof(float) + 1);
  return b < 1 ? 1 : (b > kMaxBlockRows ? kMaxBlockRows : b);
}

// Fixed chunking of a reduction over rows, a function of rows and cols only; `threads` only bounds the
// per-thread scratch. Without the chunk-count cap a wide matrix (block = chunk = 1 row once cols ≥ 32K)
// had one chunk per row, and 2·cols doubles per chunk made the scratch ~4× the input.
struct Plan {
  size_t block, chunk, nchunks, threads;
  Plan(size_t rows, size_t cols) {
    block = block_rows(cols);
    size_t blocks = kChunkBytes / (block * cols * sizeof(float) + 1);
    chunk = block * (blocks < 1 ? 1 : blocks);
    size_t most = cols ? kMaxPartials / cols : kMaxChunks;
    most = most < 1 ? 1 : (most > kMaxChunks ? kMaxChunks : most);
    size_t least = (rows + most - 1) / most;  // rows per chunk so that nchunks ≤ most
    least = (least + block - 1) / block * block;
    if (chunk < least) chunk = least;
    nchunks = (rows + chunk - 1) / chunk;
    threads = pool_num_threads();
    if (threads > nchunks) threads = nchunks;
    if (threads < 1) threads = 1;
  }
  size_t rows_of(size_t task, size_t rows) const {
    size_t r0 = task * chunk;
    return rows - r0 < chunk ? rows - r0 : chunk;
  }
};

// One arena request carved into per-chunk doubles, column indices, per-thread float scratch and extra
// column buffers.
struct Scratch {
  double* chunk_d = nullptr;  // 2·cols·nchunks doubles
  size_t* index = nullptr;    // index_slots column indices
  float* thread_f = nullptr;  // per_thread·threads floats
  float* extra = nullptr;     // extra floats
  bool get(size_t cols, const Plan& p, size_t per_thread, size_t extra_floats, size_t index_slots = 0) {
    size_t doubles_as_floats = 4 * cols * p.nchunks, index_floats = 2 * index_slots;
    float* base = arena_get(doubles_as_floats + index_floats + per_thread * p.threads + extra_floats + 16);
    if (!base) return false;
    chunk_d = (double*)base;  // arena memory is 64-byte aligned
    index = (size_t*)(base + doubles_as_floats);  // 16-byte aligned: an offset of 4k floats
    thread_f = base + doubles_as_floats + index_floats;
    extra = thread_f + per_thread * p.threads;
    return true;
  }
};

// Per-thread scratch of col_moments: bm, s1, s2.
size_t moment_scratch(size_t cols) { return 3 * cols; }
// Periodic operands of the flat affine kernels: shift, scale, bias.
size_t affine_scratch(size_t cols) { return 3 * (cols + kNormExt); }

struct MomentsJob {
  const KernelTable* t;
  const Plan* p;
  size_t rows, cols;
  const float* x;
  float* tscratch;
  double *mean, *m2;  // nchunks × cols each
};

void moments_task(void* ctx, size_t task, size_t thread) {
  MomentsJob* j = (MomentsJob*)ctx;
  size_t r0 = task * j->p->chunk, off = task * j->cols;
  j->t->norm.col_moments(j->p->rows_of(task, j->rows), j->cols, j->p->block, j->x + r0 * j->cols,
                         j->tscratch + thread * moment_scratch(j->cols), j->mean + off, j->m2 + off);
}

// Columns whose mean or M2 came out NaN or ±Inf are recomputed as reference_norm.ts does: μ = Σx/n,
// M2 = Σ(x − μ)², in double and row order. The kernels' shifted block sums give Inf − Inf = NaN for a
// column holding ±Inf (and Chan's merge of two infinite means does too), where the plain sum gives
// ±Inf (NaN for both signs) and M2 = NaN, as the reference and torch.mean / torch.var; a float32
// overflow of finite data is repaired too. ISA-free and after the merge: the same on every ISA and
// thread count. Row-major over the listed columns (index: cols slots); single-threaded, rare.
void recompute_non_finite(size_t rows, size_t cols, const float* x, double* mean, double* m2, size_t* index) {
  size_t nbad = 0;
  for (size_t c = 0; c < cols; ++c) {
    if (!isfinite(mean[c]) || !isfinite(m2[c])) index[nbad++] = c;
  }
  if (nbad == 0) return;
  for (size_t k = 0; k < nbad; ++k) mean[index[k]] = m2[index[k]] = 0;
  for (size_t r = 0; r < rows; ++r) {
    const float* xr = x + r * cols;
    for (size_t k = 0; k < nbad; ++k) mean[index[k]] += xr[index[k]];
  }
  for (size_t k = 0; k < nbad; ++k) mean[index[k]] /= (double)rows;
  for (size_t r = 0; r < rows; ++r) {
    const float* xr = x + r * cols;
    for (size_t k = 0; k < nbad; ++k) {
      double d = xr[index[k]] - mean[index[k]];
      m2[index[k]] += d * d;
    }
  }
}

// Column mean and M2 of all rows (rows ≥ 1) into mean[0, cols) / m2[0, cols) of s.chunk_d, chunks
// merged in order (Chan et al.: δ = μ_b − μ_a, μ += δ·n_b/n, M2 += M2_b + δ²·n_a·n_b/n), non-finite
// columns recomputed (recompute_non_finite).
bool moments(const KernelTable* t, size_t rows, size_t cols, const float* x, size_t extra, Scratch& s,
             double** mean_out, double** m2_out) {
  Plan p(rows, cols);
  if (!s.get(cols, p, moment_scratch(cols), extra, cols)) return false;
  double *mean = s.chunk_d, *m2 = s.chunk_d + cols * p.nchunks;
  MomentsJob job{t, &p, rows, cols, x, s.thread_f, mean, m2};
  pool_run(p.nchunks, moments_task, &job, p.threads);
  for (size_t k = 1; k < p.nchunks; ++k) {
    double na = (double)(k * p.chunk), nb = (double)p.rows_of(k, rows), n = na + nb;
    const double *mk = mean + k * cols, *qk = m2 + k * cols;
    for (size_t c = 0; c < cols; ++c) {
      double delta = mk[c] - mean[c];
      mean[c] += delta * nb / n;
      m2[c] += qk[c] + delta * delta * na * nb / n;
    }
  }
  recompute_non_finite(rows, cols, x, mean, m2, s.index);
  *mean_out = mean;
  *m2_out = m2;
  return true;
}

struct AffineJob {
  const KernelTable* t;
  size_t cols;
  const float *x, *shift, *scale, *bias;
  float* out;
  bool inverse, stream;
};

void affine_range(void* ctx, size_t b, size_t e) {
  AffineJob* j = (AffineJob*)ctx;
  size_t off = b * j->cols;
  if (j->inverse) j->t->norm.col_affine_inv(e - b, j->cols, j->x + off, j->shift, j->scale, j->out + off, j->stream);
  else j->t->norm.col_affine(e - b, j->cols, j->x + off, j->shift, j->scale, j->bias, j->out + off, j->stream);
}

// p[k mod cols] for k < cols + kNormExt (the flat kernels' periodic operand).
void extend_into(float* dst, const float* src, size_t cols) {
  for (size_t k = 0; k < cols + kNormExt; ++k) dst[k] = src[k % cols];
}

// ext: affine_scratch(cols) floats for the extended operands.
void affine(const KernelTable* t, size_t rows, size_t cols, const float* x, const float* shift, const float* scale,
            const float* bias, float* out, bool inverse, float* ext) {
  if (rows == 0 || cols == 0) return;
  size_t len = cols + kNormExt;
  extend_into(ext, shift, cols);
  extend_into(ext + len, scale, cols);
  if (bias) extend_into(ext + 2 * len, bias, cols);
  AffineJob j{t, cols, x, ext, ext + len, bias ? ext + 2 * len : nullptr, out, inverse,
              rows * cols * sizeof(float) >= kStreamBytes};
  parallel_ranges(rows, kMapChunk / cols + 1, 1, affine_range, &j);
}

struct MinMaxJob {
  const KernelTable* t;
  const Plan* p;
  size_t rows, cols;
  const float* x;
  float *mn, *mx;  // nchunks × cols each
};

void min_max_task(void* ctx, size_t task, size_t) {
  MinMaxJob* j = (MinMaxJob*)ctx;
  size_t off = task * j->cols;
  float *mn = j->mn + off, *mx = j->mx + off;
  for (size_t c = 0; c < j->cols; ++c) {
    mn[c] = INFINITY;
    mx[c] = -INFINITY;
  }
  j->t->norm.col_min_max(j->p->rows_of(task, j->rows), j->cols, j->x + task * j->p->chunk * j->cols, mn, mx);
}

}  // namespace

bool op_col_min_max(const KernelTable* t, size_t rows, size_t cols, const float* x, float* mn, float* mx) noexcept {
  for (size_t c = 0; c < cols; ++c) {
    mn[c] = INFINITY;
    mx[c] = -INFINITY;
  }
  if (rows == 0 || cols == 0) return true;
  Plan p(rows, cols);
  Scratch s;
  if (!s.get(cols, p, 0, 0)) return false;
  float* part = (float*)s.chunk_d;  // 2·cols·nchunks floats fit in the doubles' space
  MinMaxJob job{t, &p, rows, cols, x, part, part + cols * p.nchunks};
  pool_run(p.nchunks, min_max_task, &job, p.threads);
  for (size_t k = 0; k < p.nchunks; ++k) {  // chunk order; NaN sticks (a != a)
    for (size_t c = 0; c < cols; ++c) {
      float a = job.mn[k * cols + c], b = job.mx[k * cols + c];
      if (mn[c] == mn[c] && (a != a || a < mn[c])) mn[c] = a;
      if (mx[c] == mx[c] && (b != b || b > mx[c])) mx[c] = b;
    }
  }
  return true;
}

bool op_col_mean_var(const KernelTable* t, size_t rows, size_t cols, const float* x, float* mean,
                     float* var) noexcept {
  if (rows == 0) {
    for (size_t c = 0; c < cols; ++c) mean[c] = var[c] = NAN;
    return true;
  }
  if (cols == 0) return true;
  Scratch s;
  double *mu, *m2;
  if (!moments(t, rows, cols, x, 0, s, &mu, &m2)) return false;
  for (size_t c = 0; c < cols; ++c) {
    mean[c] = (float)mu[c];
    var[c] = (float)(m2[c] / (double)rows);
  }
  return true;
}

bool op_col_affine(const KernelTable* t, size_t rows, size_t cols, const float* x, const float* shift,
                   const float* scale, float* out, bool inverse) noexcept {
  if (rows == 0 || cols == 0) return true;
  float* ext = arena_get(affine_scratch(cols));
  if (!ext) return false;
  affine(t, rows, cols, x, shift, scale, nullptr, out, inverse, ext);
  return true;
}

// PyTorch BatchNorm, training: r = 1/√(σ² + eps) with the biased σ² = M2/n; running statistics move by
// momentum toward μ and the unbiased M2/(n − 1); out = (x − μ)·(r·γ) + β through col_affine.
bool op_bn_forward_training(const KernelTable* t, const BnForwardArgs& a) noexcept {
  if (a.cols == 0) return true;
  Scratch s;
  double *mu, *m2;
  if (!moments(t, a.rows, a.cols, a.x, a.cols + affine_scratch(a.cols), s, &mu, &m2)) return false;
  float* scale = s.extra;
  double n = (double)a.rows, m = a.momentum;
  for (size_t c = 0; c < a.cols; ++c) {
    double r = 1.0 / sqrt(m2[c] / n + (double)a.eps);
    a.save_mean[c] = (float)mu[c];
    a.save_invstd[c] = (float)r;
    scale[c] = (float)(r * a.gamma[c]);
    a.running_mean[c] = (float)((1 - m) * a.running_mean[c] + m * mu[c]);
    a.running_var[c] = (float)((1 - m) * a.running_var[c] + m * m2[c] / (n - 1));
  }
  affine(t, a.rows, a.cols, a.x, a.save_mean, scale, a.beta, a.out, false, scale + a.cols);
  return true;
}

bool op_bn_forward_inference(const KernelTable* t, const BnForwardArgs& a) noexcept {
  if (a.cols == 0 || a.rows == 0) return true;
  float* scale = arena_get(a.cols + affine_scratch(a.cols));
  if (!scale) return false;
  for (size_t c = 0; c < a.cols; ++c) scale[c] = (float)(a.gamma[c] / sqrt((double)a.running_var[c] + a.eps));
  affine(t, a.rows, a.cols, a.x, a.running_mean, scale, a.beta, a.out, false, scale + a.cols);
  return true;
}

namespace {
struct DySumsJob {
  const KernelTable* t;
  const Plan* p;
  const BnBackwardArgs* a;
  float* tscratch;
  double *s1, *s2;  // nchunks × cols each
};

void dy_sums_task(void* ctx, size_t task, size_t thread) {
  DySumsJob* j = (DySumsJob*)ctx;
  size_t cols = j->a->cols, off = task * j->p->chunk * cols;
  j->t->norm.col_dy_sums(j->p->rows_of(task, j->a->rows), cols, j->p->block, j->a->x + off, j->a->dy + off,
                         j->a->save_mean, j->tscratch + thread * 2 * cols, j->s1 + task * cols, j->s2 + task * cols);
}

struct DxJob {
  const KernelTable* t;
  const BnBackwardArgs* a;
  const float *ka, *kb, *kc;
};

void dx_range(void* ctx, size_t b, size_t e) {
  DxJob* j = (DxJob*)ctx;
  size_t cols = j->a->cols, off = b * cols;
  j->t->norm.bn_dx(e - b, cols, j->a->x + off, j->a->dy + off, j->a->save_mean, j->ka, j->kb, j->kc, j->a->dx + off);
}
}  // namespace

// PyTorch batch_norm_backward (training): S1 = Σdy, S2 = Σdy·(x − μ); dβ = S1, dγ = r·S2 and
// dx = γr/n·(n·dy − S1 − x̂·r·S2) = a·dy + b·(x − μ) + c with a = γr, b = −γr³S2/n, c = −γrS1/n.
bool op_bn_backward(const KernelTable* t, const BnBackwardArgs& a) noexcept {
  if (a.cols == 0) return true;
  size_t cols = a.cols;
  Plan p(a.rows, cols);
  Scratch s;
  if (!s.get(cols, p, 2 * cols, 3 * cols)) return false;
  double *s1 = s.chunk_d, *s2 = s.chunk_d + cols * p.nchunks;
  for (size_t c = 0; c < cols; ++c) s1[c] = s2[c] = 0;  // rows = 0: no chunk writes them
  DySumsJob job{t, &p, &a, s.thread_f, s1, s2};
  pool_run(p.nchunks, dy_sums_task, &job, p.threads);
  for (size_t k = 1; k < p.nchunks; ++k) {
    for (size_t c = 0; c < cols; ++c) {
      s1[c] += s1[k * cols + c];
      s2[c] += s2[k * cols + c];
    }
  }
  float *ka = s.extra, *kb = ka + cols, *kc = kb + cols;
  double n = (double)a.rows;
  for (size_t c = 0; c < cols; ++c) {
    double r = a.save_invstd[c], g = a.gamma[c], dg = r * s2[c];
    ka[c] = (float)(g * r);
    kb[c] = (float)(-g * r * r * r * s2[c] / n);
    kc[c] = (float)(-g * r * s1[c] / n);
    a.dgamma[c] = (float)(a.accumulate ? a.dgamma[c] + dg : dg);
    a.dbeta[c] = (float)(a.accumulate ? a.dbeta[c] + s1[c] : s1[c]);
  }
  if (a.rows == 0) return true;
  DxJob dj{t, &a, ka, kb, kc};
  parallel_ranges(a.rows, kMapChunk / cols + 1, 1, dx_range, &dj);
  return true;
}

}  // namespace simdgrad

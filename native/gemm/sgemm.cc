// GEMM driver: BLIS loop order jc (NC) → pc (KC) → [pack B panel] → ic (MC) → [pack A block] →
// jr (NR) → ir (MR) → micro-kernel. op(A)/op(B) transposes are absorbed by packing, so every
// combination runs the same micro-kernel. The B panel is packed once per (jc, pc) and shared by all
// threads; each task packs its own A block. The k-loop order per C element never depends on the
// thread count, so results are identical for any number of threads.
#include "sgemm.h"

#include <string.h>

#include "../arena.h"
#include "../pool.h"

namespace simdgrad {
namespace {

// Below this many multiply-adds the pool hand-off costs more than a second core gains.
constexpr size_t kParallelMinFlops = (size_t)1 << 19;  // 64³ ran slower on 2 threads than on 1

inline size_t min_sz(size_t a, size_t b) { return a < b ? a : b; }
inline size_t ceil_div(size_t a, size_t b) { return (a + b - 1) / b; }
inline size_t round_up(size_t a, size_t b) { return ceil_div(a, b) * b; }

// Packs rows [i0, i0+mc) × depth [p0, p0+kc) of op(A) into MR-row slivers: sliver s holds, for each
// p, the MR values op(A)(i0+s·MR+i, p0+p), zero past row mc.
void pack_a(const GemmArgs& g, size_t mr_tile, GemmPackAFn pack_rows, size_t i0, size_t mc, size_t p0, size_t kc,
            float* out) {
  for (size_t ir = 0; ir < mc; ir += mr_tile) {
    size_t mr = min_sz(mr_tile, mc - ir);
    if (g.trans_a) {  // A is stored k×m: each p is a contiguous run over i
      for (size_t p = 0; p < kc; ++p) {
        const float* src = g.a + (p0 + p) * g.lda + i0 + ir;
        float* dst = out + p * mr_tile;
        for (size_t i = 0; i < mr; ++i) dst[i] = src[i];
        for (size_t i = mr; i < mr_tile; ++i) dst[i] = 0.0f;
      }
    } else if (pack_rows) {  // A is stored m×k: the ISA's transposing packer
      pack_rows(mr_tile, mr, kc, g.a + (i0 + ir) * g.lda + p0, g.lda, out);
    } else {  // A is stored m×k: gather one value from each of mr rows per p
      for (size_t p = 0; p < kc; ++p) {
        float* dst = out + p * mr_tile;
        const float* src = g.a + (i0 + ir) * g.lda + p0 + p;
        for (size_t i = 0; i < mr; ++i) dst[i] = src[i * g.lda];
        for (size_t i = mr; i < mr_tile; ++i) dst[i] = 0.0f;
      }
    }
    out += mr_tile * kc;
  }
}

// Packs the NR-column sliver [j0, j0+nr) of a transposed B (stored n×k) at depth [p0, p0+kc), zero-padded.
void pack_bt_sliver(const GemmArgs& g, size_t nr_tile, GemmPackAFn pack_rows, size_t p0, size_t kc, size_t j0, size_t nr,
                    float* out) {
  if (pack_rows) {  // B's rows are the sliver's columns: the ISA's transposing packer
    pack_rows(nr_tile, nr, kc, g.b + j0 * g.ldb + p0, g.ldb, out);
    return;
  }
  for (size_t p = 0; p < kc; ++p) {
    float* dst = out + p * nr_tile;
    const float* src = g.b + j0 * g.ldb + p0 + p;
    for (size_t j = 0; j < nr; ++j) dst[j] = src[j * g.ldb];
    for (size_t j = nr; j < nr_tile; ++j) dst[j] = 0.0f;
  }
}

// Rows of an operand read in place (kc of them, ld floats apart) stay cached between the micro-kernel's
// passes over them only if they spread over enough L2 sets: with a 64 KiB set period (1 MiB, 16-way L2)
// and a power-of-two-heavy stride, kc rows fall on period / gcd(stride, period) positions. Measured on
// AVX-512, rows per position: ≤ 8 in place wins or ties (896², 1152², 512×1280×512); 12–32 packing
// wins by 6–20% (768², 1280², 1536², 512×512×1024, 512×768×900) unless the whole in-place panel fits
// in L2 (512², 128×784·784×256: in place +3%). Rows 4 KiB apart also share one L1 set: always packed
// (AVX2 at 1024²: 77 vs 117 GFLOP/s).
constexpr size_t kCacheLine = 64;  // bytes
bool rows_share_l1_set(size_t ld) { return ld % 1024 == 0; }
bool in_place_fits(size_t ld, size_t kc, size_t panel_floats) {
  if (rows_share_l1_set(ld)) return false;
  size_t period = 64 * 1024, a = ld * sizeof(float) % period, b = period;
  while (a) {  // b ← gcd(stride, period)
    size_t t = b % a;
    b = a;
    a = t;
  }
  size_t per_position = ceil_div(kc, period / b);
  bool panel_in_l2 = panel_floats * sizeof(float) <= ((size_t)1 << 20);
  return per_position <= (panel_in_l2 ? 16 : 8);
}

struct Job {
  const GemmArgs* g;
  const GemmConfig* cfg;
  size_t mc;           // rows per A block (a multiple of MR)
  size_t mblocks;      // A blocks covering m
  size_t jsplit;       // tasks per A block, splitting the panel's slivers
  float* bpack;        // kc × round_up(nc, NR)
  float* apack;        // one mc × kc block per thread
  size_t apack_floats;
  // current panel
  size_t jc, nc, pc, kc, slivers;
  size_t threads;          // threads the scratch was sized for
  bool direct_a, direct_b; // read full slivers of A (transposed) / B (not transposed) in place
  bool rows_a;             // read full slivers of a non-transposed A in place (cfg.ukernel_rows)
  size_t slivers_per_pack; // B slivers packed per pack task
  bool first_k, last_k;
};

// Whether the panel's sliver s is read in place (a full sliver of a plain B that does not alias) rather
// than packed.
bool sliver_in_place(const Job& j, size_t s) { return j.direct_b && (s + 1) * j.cfg->nr <= j.nc; }

// Rows of a non-transposed B packed per band: every sliver gets these many k at a time.
constexpr size_t kPackBandRows = 16;

// Packs the panel's slivers [s0, s1) of a non-transposed B (stored k×n, rows contiguous), skipping
// those read in place. It walks bands of kPackBandRows k-rows across all the slivers, so each row is
// read sequentially; one sliver over all of kc at a time touched a new page at every k, and packing B
// took 6.0% of a 1024² product (now 3.4%; 2048²: 2.8% → 1.6%).
void pack_b_rows(const Job& j, size_t s0, size_t s1) {
  const GemmArgs& g = *j.g;
  size_t nr_tile = j.cfg->nr;
  for (size_t p0 = 0; p0 < j.kc; p0 += kPackBandRows) {
    size_t rows = min_sz(kPackBandRows, j.kc - p0);
    for (size_t s = s0; s < s1; ++s) {
      size_t col = s * nr_tile;
      if (sliver_in_place(j, s)) continue;  // read in place by the micro-kernel
      size_t nr = min_sz(nr_tile, j.nc - col);
      float* dst = j.bpack + s * nr_tile * j.kc + p0 * nr_tile;
      const float* src = g.b + (j.pc + p0) * g.ldb + j.jc + col;
      for (size_t p = 0; p < rows; ++p, dst += nr_tile, src += g.ldb) {
        memcpy(dst, src, nr * sizeof(float));
        for (size_t c = nr; c < nr_tile; ++c) dst[c] = 0.0f;
      }
    }
  }
}

void pack_b_task(void* p, size_t task, size_t) {
  Job& j = *(Job*)p;
  size_t s0 = task * j.slivers_per_pack, s1 = min_sz(j.slivers, s0 + j.slivers_per_pack);
  if (!j.g->trans_b) return pack_b_rows(j, s0, s1);
  for (size_t s = s0; s < s1; ++s) {
    size_t col = s * j.cfg->nr;
    pack_bt_sliver(*j.g, j.cfg->nr, j.cfg->pack_a_rows, j.pc, j.kc, j.jc + col, min_sz(j.cfg->nr, j.nc - col),
                   j.bpack + s * j.cfg->nr * j.kc);
  }
}

void compute_task(void* p, size_t task, size_t thread) {
  Job& j = *(Job*)p;
  const GemmArgs& g = *j.g;
  const GemmConfig& cfg = *j.cfg;
  size_t ib = task / j.jsplit, js = task % j.jsplit;
  size_t i0 = ib * j.mc;
  if (i0 >= g.m) return;
  size_t mc = min_sz(j.mc, g.m - i0);
  size_t per = ceil_div(j.slivers, j.jsplit);
  size_t s0 = js * per, s1 = min_sz(j.slivers, s0 + per);
  if (s0 >= s1) return;
  float* apack = j.apack + thread * j.apack_floats;
  size_t full = mc / cfg.mr * cfg.mr;  // rows of whole MR slivers
  if (!j.direct_a && !j.rows_a) pack_a(g, cfg.mr, cfg.pack_a_rows, i0, mc, j.pc, j.kc, apack);
  else if (full < mc) pack_a(g, cfg.mr, cfg.pack_a_rows, i0 + full, mc - full, j.pc, j.kc, apack + full * j.kc);
  GemmEpilogue ep{};
  ep.alpha = g.alpha;
  ep.beta = j.first_k ? g.beta : 1.0f;
  ep.act = j.last_k ? g.act : ACT_NONE;
  ep.act_param = g.act_param;
  for (size_t s = s0; s < s1; ++s) {
    size_t col = s * cfg.nr;
    size_t nr = min_sz(cfg.nr, j.nc - col);
    ep.bias = (j.last_k && g.bias) ? g.bias + j.jc + col : nullptr;
    // Full slivers of a non-transposed B are read in place; the edge sliver was packed.
    bool b_in_place = sliver_in_place(j, s);
    const float* bs = b_in_place ? g.b + j.pc * g.ldb + j.jc + col : j.bpack + s * cfg.nr * j.kc;
    size_t b_step = b_in_place ? g.ldb : cfg.nr;
    // While this sliver is in use, each call fetches one slice of the next sliver into L2 if that one
    // is packed (slivers read in place are left to the hardware): streamed from L3, a sliver's first
    // call took 44% longer than the others (2048² on AVX-512: 2.5% overall). One fetch per k step
    // covers at most a line, so with one call per sliver (mc ≤ MR on AVX-512) only its first half is.
    const char* next = nullptr;
    size_t next_chunk = 0;
    if (s + 1 < s1 && !sliver_in_place(j, s + 1)) {
      next = (const char*)(j.bpack + (s + 1) * cfg.nr * j.kc);
      next_chunk = ceil_div(cfg.nr * j.kc * sizeof(float), ceil_div(mc, cfg.mr));
    }
    ep.l2_next_step = min_sz(ceil_div(next_chunk, j.kc), kCacheLine);
    for (size_t ir = 0; ir < mc; ir += cfg.mr) {
      size_t mr = min_sz(cfg.mr, mc - ir);
      const float* as = apack + ir * j.kc;
      size_t a_step = cfg.mr;
      GemmUkernelFn uk = cfg.ukernel;
      if (j.direct_a && mr == cfg.mr) {  // a transposed A holds the MR values of each k contiguously;
        as = g.a + j.pc * g.lda + i0 + ir;  // the edge sliver (it would read past row ends) was packed
        a_step = g.lda;
      } else if (j.rows_a && mr == cfg.mr) {  // a plain A, row by row
        as = g.a + (i0 + ir) * g.lda + j.pc;
        a_step = g.lda;
        uk = cfg.ukernel_rows;
      } else if (mr <= 4 && cfg.ukernel_upto4) uk = cfg.ukernel_upto4;
      else if (mr <= 8 && cfg.ukernel_upto8) uk = cfg.ukernel_upto8;
      ep.l2_next = next ? next + ir / cfg.mr * next_chunk : nullptr;
      uk(j.kc, as, bs, g.c + (i0 + ir) * g.ldc + j.jc + col, g.ldc, mr, nr, a_step, b_step, &ep);
    }
  }
}

// alpha == 0 or k == 0: C ← beta·C (zeros when beta == 0, C unread), then bias and activation.
void scale_only(const KernelTable* t, const GemmArgs& g) {
  for (size_t i = 0; i < g.m; ++i) {
    float* row = g.c + i * g.ldc;
    if (g.beta == 0.0f) memset(row, 0, g.n * sizeof(float));
    else if (g.beta != 1.0f) t->scale(g.n, g.beta, row, row);
  }
  if (g.bias || g.act != ACT_NONE) t->bias_act(g.m, g.n, g.c, g.ldc, g.bias, g.act, g.act_param, g.c, g.ldc);
}

// ---- narrow C (n ≤ gemm_cols.max_n): tiles of MR rows, each over all of k ----

struct ColsJob {
  const GemmArgs* g;
  const KernelTable* t;
  size_t kc_block;
  float* apack;  // one MR × kc_block sliver per thread
  size_t apack_floats;
};

void cols_task(void* p, size_t task, size_t thread) {
  ColsJob& j = *(ColsJob*)p;
  const GemmArgs& g = *j.g;
  const GemmCols& k = j.t->gemm_cols;
  size_t i0 = task * k.mr, mr = min_sz(k.mr, g.m - i0);
  float* apack = j.apack + thread * j.apack_floats;
  GemmEpilogue ep{};
  ep.alpha = g.alpha;
  ep.act_param = g.act_param;
  for (size_t pc = 0; pc < g.k; pc += j.kc_block) {
    size_t kc = min_sz(j.kc_block, g.k - pc);
    bool last = pc + kc >= g.k;
    ep.beta = pc == 0 ? g.beta : 1.0f;
    ep.bias = last ? g.bias : nullptr;
    ep.act = last ? g.act : ACT_NONE;
    const float* a = g.a + pc * g.lda + i0;  // a transposed A holds the MR values of each k contiguously
    size_t a_step = g.lda;
    if (!g.trans_a || mr < k.mr) {
      pack_a(g, k.mr, j.t->gemm.pack_a_rows, i0, mr, pc, kc, apack);
      a = apack;
      a_step = k.mr;
    }
    const float* b = g.trans_b ? g.b + pc : g.b + pc * g.ldb;
    k.fn(g.n, kc, a, a_step, b, g.trans_b ? 1 : g.ldb, g.trans_b ? g.ldb : 1, g.c + i0 * g.ldc, g.ldc, mr, &ep);
  }
}

bool sgemm_cols(const KernelTable* t, const GemmArgs& g) {
  const GemmCols& k = t->gemm_cols;
  double flops = (double)g.m * (double)g.n * (double)g.k;
  size_t tiles = ceil_div(g.m, k.mr);
  size_t threads = flops < (double)kParallelMinFlops ? 1 : min_sz(pool_num_threads(), tiles);
  ColsJob j{&g, t, min_sz(t->gemm.kc, g.k), nullptr, 0};
  j.apack_floats = round_up(k.mr * j.kc_block, 16);
  j.apack = arena_get(j.apack_floats * threads);
  if (!j.apack) return false;
  if (threads > 1) pool_run(tiles, cols_task, &j, threads);
  else for (size_t task = 0; task < tiles; ++task) cols_task(&j, task, 0);
  return true;
}

}  // namespace

bool sgemm_run(const KernelTable* t, const GemmArgs& g) noexcept {
  if (g.m == 0 || g.n == 0) return true;
  if (g.k == 0 || g.alpha == 0.0f) {
    scale_only(t, g);
    return true;
  }
  // A narrow n (logits of a few classes) wastes most of the main tile's columns: use the kernel that
  // vectorizes along m where the ISA has one, else the tall, one-vector-wide tile.
  if (t->gemm_cols.fn && g.n <= t->gemm_cols.max_n) return sgemm_cols(t, g);
  const GemmConfig& cfg = g.n <= t->gemm_narrow.nr ? t->gemm_narrow : t->gemm;
  double flops = (double)g.m * (double)g.n * (double)g.k;
  size_t threads = flops < (double)kParallelMinFlops ? 1 : pool_num_threads();

  Job j;
  j.g = &g;
  j.cfg = &cfg;
  // Work split: A blocks of equal height (in MR units), and, with threads, each block's B slivers cut
  // into `threads` parts, so every thread gets an equal share whatever m is (rounding m into blocks
  // alone left 1024 rows as 7 blocks of 140 and one of 44). Each part packs its A block itself.
  // When n has fewer slivers than threads, more (shorter) A blocks make up the difference.
  size_t panel_slivers = ceil_div(min_sz(g.n, cfg.nc), cfg.nr);
  j.jsplit = min_sz(threads, panel_slivers);
  size_t mblocks = ceil_div(g.m, cfg.mc);
  if (j.jsplit < threads) mblocks = round_up(mblocks, ceil_div(threads, j.jsplit));
  j.mc = round_up(ceil_div(g.m, mblocks), cfg.mr);
  j.mblocks = ceil_div(g.m, j.mc);
  size_t kc_max = min_sz(cfg.kc, g.k);
  size_t nc_max = round_up(min_sz(cfg.nc, g.n), cfg.nr);
  j.apack_floats = round_up(j.mc * kc_max, 16);
  size_t bfloats = round_up(kc_max * nc_max, 16);
  j.threads = threads;
  // Read in place what needs no reordering: a transposed A holds each k's MR values contiguously, a
  // plain B each k's NR values (packing skipped), unless the rows alias in cache (in_place_fits).
  j.direct_a = g.trans_a && in_place_fits(g.lda, kc_max, kc_max * j.mc);
  j.direct_b = !g.trans_b && in_place_fits(g.ldb, kc_max, kc_max * nc_max);
  // A plain A is read row by row (cfg.ukernel_rows) when its pack would be reused by few B slivers:
  // with up to 16 per task skipping the pack gains 4–8% (64²–512², the MLP shapes); with more, the
  // packed sliver's single stream wins by 1–4% (768²–1800²). Rows 4 KiB apart share one L1 set.
  j.rows_a = !g.trans_a && cfg.ukernel_rows && ceil_div(panel_slivers, j.jsplit) <= 16 && !rows_share_l1_set(g.lda);
  float* ws = arena_get(bfloats + j.apack_floats * threads);
  if (!ws) return false;
  j.bpack = ws;
  j.apack = ws + bfloats;

  for (j.jc = 0; j.jc < g.n; j.jc += cfg.nc) {
    j.nc = min_sz(cfg.nc, g.n - j.jc);
    j.slivers = ceil_div(j.nc, cfg.nr);
    for (j.pc = 0; j.pc < g.k; j.pc += cfg.kc) {
      j.kc = min_sz(cfg.kc, g.k - j.pc);
      j.first_k = j.pc == 0;
      j.last_k = j.pc + j.kc >= g.k;
      if (threads > 1) {
        size_t pack_tasks = min_sz(threads, j.slivers);
        j.slivers_per_pack = ceil_div(j.slivers, pack_tasks);
        pool_run(pack_tasks, pack_b_task, &j, threads);
        pool_run(j.mblocks * j.jsplit, compute_task, &j, threads);
      } else {
        j.slivers_per_pack = j.slivers;
        pack_b_task(&j, 0, 0);
        for (size_t task = 0; task < j.mblocks * j.jsplit; ++task) compute_task(&j, task, 0);
      }
    }
  }
  return true;
}

}  // namespace simdgrad

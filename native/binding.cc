// The Node-API binding: unpack and re-check the arguments that guard memory (typed-array types,
// integer sizes, lengths against extents), set the floating-point environment, call the active
// kernel table. No math here. Full argument validation with friendlier messages happens first in
// TypeScript (lib/backend/check.ts); these checks make the addon safe even when called directly.
// Raw Node-API C calls: one napi_get_typedarray_info per array keeps a call near 130 ns.
#include "arena.h"
#include "binding_call.h"
#include "dispatch.h"
#include "fpenv.h"
#include "gemm/sgemm.h"
#include "ops/elementwise.h"
#include "pool.h"

namespace simdgrad {
namespace {

napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

// Shared by sgemm and sgemmBiasAct: transposes, dims, A and B with their extents.
bool gemm_common(Call& c, GemmArgs& g, size_t ia, float** a, float** b) {
  size_t alen, blen;
  if (!c.flag(0, "transA", &g.trans_a) || !c.flag(1, "transB", &g.trans_b) || !c.dim(2, "m", &g.m) ||
      !c.dim(3, "n", &g.n) || !c.dim(4, "k", &g.k))
    return false;
  if (!c.f32(ia, "a", a, &alen) || !c.dim(ia + 1, "lda", &g.lda) || !c.f32(ia + 2, "b", b, &blen) ||
      !c.dim(ia + 3, "ldb", &g.ldb))
    return false;
  size_t ar = g.trans_a ? g.k : g.m, ac = g.trans_a ? g.m : g.k;
  size_t br = g.trans_b ? g.n : g.k, bc = g.trans_b ? g.k : g.n;
  return c.extent("a", alen, ar, ac, g.lda, "lda") && c.extent("b", blen, br, bc, g.ldb, "ldb");
}

napi_value Sgemm(napi_env env, napi_callback_info info) {
  Call c(env, info, "sgemm");
  GemmArgs g{};
  float *a, *b, *cm;
  size_t clen;
  if (!gemm_common(c, g, 6, &a, &b) || !c.num(5, "alpha", &g.alpha) || !c.num(10, "beta", &g.beta) ||
      !c.f32(11, "c", &cm, &clen) || !c.dim(12, "ldc", &g.ldc) || !c.extent("c", clen, g.m, g.n, g.ldc, "ldc"))
    return nullptr;
  g.a = a; g.b = b; g.c = cm; g.bias = nullptr; g.act = ACT_NONE; g.act_param = 0;
  FlushDenormalsScope fp;
  if (!sgemm_run(dispatch_current(), g)) c.out_of_memory();
  return nullptr;
}

napi_value SgemmBiasAct(napi_env env, napi_callback_info info) {
  Call c(env, info, "sgemmBiasAct");
  GemmArgs g{};
  float *a, *b, *cm, *bias;
  size_t clen, biaslen;
  if (!gemm_common(c, g, 5, &a, &b) || !c.f32(9, "bias", &bias, &biaslen, true) || !c.act(10, &g.act) ||
      !c.num(11, "actParam", &g.act_param) || !c.f32(12, "c", &cm, &clen) || !c.dim(13, "ldc", &g.ldc) ||
      !c.extent("c", clen, g.m, g.n, g.ldc, "ldc") || (!c.is_null(9) && !c.length("bias", biaslen, g.n, "n")))
    return nullptr;
  g.a = a; g.b = b; g.c = cm; g.bias = c.is_null(9) || g.n == 0 ? nullptr : bias; g.alpha = 1.0f; g.beta = 0.0f;
  FlushDenormalsScope fp;
  if (!sgemm_run(dispatch_current(), g)) c.out_of_memory();
  return nullptr;
}

// (n, alpha, x, y|out): axpy and scale
template <void (*OP)(const KernelTable*, size_t, float, const float*, float*)>
napi_value ScalarVector(napi_env env, napi_callback_info info, const char* fn, const char* out_name) {
  Call c(env, info, fn);
  size_t n, xl, ol;
  float alpha, *x, *o;
  if (!c.dim(0, "n", &n) || !c.num(1, "alpha", &alpha) || !c.f32(2, "x", &x, &xl) || !c.f32(3, out_name, &o, &ol) ||
      !c.length("x", xl, n, "n") || !c.length(out_name, ol, n, "n"))
    return nullptr;
  FlushDenormalsScope fp;
  OP(dispatch_current(), n, alpha, x, o);
  return nullptr;
}
napi_value Axpy(napi_env env, napi_callback_info info) { return ScalarVector<op_axpy>(env, info, "axpy", "y"); }
napi_value Scale(napi_env env, napi_callback_info info) { return ScalarVector<op_scale>(env, info, "scale", "out"); }

// (n, a, b, out): add and mul
template <void (*OP)(const KernelTable*, size_t, const float*, const float*, float*)>
napi_value Binary(napi_env env, napi_callback_info info, const char* fn) {
  Call c(env, info, fn);
  size_t n, al, bl, ol;
  float *a, *b, *o;
  if (!c.dim(0, "n", &n) || !c.f32(1, "a", &a, &al) || !c.f32(2, "b", &b, &bl) || !c.f32(3, "out", &o, &ol) ||
      !c.length("a", al, n, "n") || !c.length("b", bl, n, "n") || !c.length("out", ol, n, "n"))
    return nullptr;
  FlushDenormalsScope fp;
  OP(dispatch_current(), n, a, b, o);
  return nullptr;
}
napi_value Add(napi_env env, napi_callback_info info) { return Binary<op_add>(env, info, "add"); }
napi_value Mul(napi_env env, napi_callback_info info) { return Binary<op_mul>(env, info, "mul"); }

napi_value BiasAdd(napi_env env, napi_callback_info info) {
  Call c(env, info, "biasAdd");
  size_t rows, cols, total, xl, bl, ol;
  float *x, *bias, *o;
  if (!c.dim(0, "rows", &rows) || !c.dim(1, "cols", &cols) || !c.product(rows, cols, &total) ||
      !c.f32(2, "x", &x, &xl) || !c.f32(3, "bias", &bias, &bl) || !c.f32(4, "out", &o, &ol) ||
      !c.length("x", xl, total, "rows*cols") || !c.length("bias", bl, cols, "cols") ||
      !c.length("out", ol, total, "rows*cols"))
    return nullptr;
  FlushDenormalsScope fp;
  op_bias_act(dispatch_current(), rows, cols, x, bias, ACT_NONE, 0.0f, o);
  return nullptr;
}

napi_value ColSum(napi_env env, napi_callback_info info) {
  Call c(env, info, "colSum");
  size_t rows, cols, total, xl, ol;
  float alpha, beta, *x, *o;
  if (!c.dim(0, "rows", &rows) || !c.dim(1, "cols", &cols) || !c.product(rows, cols, &total) ||
      !c.num(2, "alpha", &alpha) || !c.f32(3, "x", &x, &xl) || !c.num(4, "beta", &beta) ||
      !c.f32(5, "out", &o, &ol) || !c.length("x", xl, total, "rows*cols") || !c.length("out", ol, cols, "cols"))
    return nullptr;
  FlushDenormalsScope fp;
  op_col_sum(dispatch_current(), rows, cols, alpha, x, beta, o);
  return nullptr;
}

napi_value ActForward(napi_env env, napi_callback_info info) {
  Call c(env, info, "activationForward");
  int act;
  size_t n, xl, ol;
  float param, *x, *o;
  if (!c.act(0, &act) || !c.num(1, "actParam", &param) || !c.dim(2, "n", &n) || !c.f32(3, "x", &x, &xl) ||
      !c.f32(4, "out", &o, &ol) || !c.length("x", xl, n, "n") || !c.length("out", ol, n, "n"))
    return nullptr;
  FlushDenormalsScope fp;
  op_act_forward(dispatch_current(), act, param, n, x, o);
  return nullptr;
}

napi_value ActBackward(napi_env env, napi_callback_info info) {
  Call c(env, info, "activationBackward");
  int act;
  size_t n, xl, yl, dyl, dxl;
  float param, *x, *y, *dy, *dx;
  if (!c.act(0, &act) || !c.num(1, "actParam", &param) || !c.dim(2, "n", &n) || !c.f32(3, "x", &x, &xl, true) ||
      !c.f32(4, "y", &y, &yl, true) || !c.f32(5, "dy", &dy, &dyl) || !c.f32(6, "dx", &dx, &dxl) ||
      !c.length("dy", dyl, n, "n") || !c.length("dx", dxl, n, "n"))
    return nullptr;
  bool needs_x = act == ACT_GELU, needs_y = act != ACT_GELU && act != ACT_NONE;
  // Presence is the argument being null/undefined, not the data pointer (an empty array has none).
  bool has_x = !c.is_null(3), has_y = !c.is_null(4);
  if (needs_x && (!has_x ? c.type_error("activationBackward: x (the activation's input) is required for gelu")
                     : !c.length("x", xl, n, "n")))
    return nullptr;
  if (needs_y && (!has_y ? c.type_error("activationBackward: y (the activation's output) is required for this activation")
                     : !c.length("y", yl, n, "n")))
    return nullptr;
  FlushDenormalsScope fp;
  op_act_backward(dispatch_current(), act, param, n, x, y, dy, dx);
  return nullptr;
}

napi_value make_string(napi_env env, const char* s) {
  napi_value v;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  return v;
}

napi_value AvailableIsas(napi_env env, napi_callback_info) {
  const KernelTable* list[4];
  size_t n = dispatch_available(list);
  napi_value arr;
  napi_create_array_with_length(env, n, &arr);
  for (size_t i = 0; i < n; ++i) napi_set_element(env, arr, (uint32_t)i, make_string(env, list[i]->isa));
  return arr;
}

napi_value SelectIsa(napi_env env, napi_callback_info info) {
  Call c(env, info, "selectIsa");
  char name[32];
  size_t len = 0;
  if (napi_get_value_string_utf8(env, c.arg(0), name, sizeof name, &len) != napi_ok) {
    c.type_error("selectIsa: name must be a string");
    return nullptr;
  }
  napi_value r;
  napi_get_boolean(env, dispatch_select(name), &r);
  return r;
}

napi_value CurrentIsa(napi_env env, napi_callback_info) { return make_string(env, dispatch_current()->isa); }

napi_value SetNumThreads(napi_env env, napi_callback_info info) {
  Call c(env, info, "setNumThreads");
  size_t n;
  if (!c.dim(0, "n", &n)) return nullptr;
  if (n < 1 || n > 256) {
    c.range_error("setNumThreads: n must be an integer in [1, 256]");
    return nullptr;
  }
  pool_set_num_threads(n);
  return undefined(env);
}

napi_value make_uint(napi_env env, size_t v) {
  napi_value r;
  napi_create_double(env, (double)v, &r);
  return r;
}
napi_value GetNumThreads(napi_env env, napi_callback_info) { return make_uint(env, pool_num_threads()); }
napi_value CpuCount(napi_env env, napi_callback_info) { return make_uint(env, pool_cpu_count()); }

// Block sizes of the active ISA's GEMM, for tests that sweep edge tiles and block boundaries.
napi_value gemm_config_object(napi_env env, const GemmConfig& g) {
  napi_value o;
  napi_create_object(env, &o);
  napi_set_named_property(env, o, "mr", make_uint(env, g.mr));
  napi_set_named_property(env, o, "nr", make_uint(env, g.nr));
  napi_set_named_property(env, o, "kc", make_uint(env, g.kc));
  napi_set_named_property(env, o, "mc", make_uint(env, g.mc));
  napi_set_named_property(env, o, "nc", make_uint(env, g.nc));
  return o;
}
napi_value GemmConfigInfo(napi_env env, napi_callback_info) {
  const KernelTable* t = dispatch_current();
  napi_value o = gemm_config_object(env, t->gemm);
  napi_set_named_property(env, o, "narrow", gemm_config_object(env, t->gemm_narrow));
  return o;
}

void release_thread_scratch(void*) { arena_release(); }

}  // namespace
}  // namespace simdgrad

namespace simdgrad {
bool register_norm(napi_env env, napi_value exports);   // norm/binding_norm.cc
bool register_optim(napi_env env, napi_value exports);  // optim/binding_optim.cc
}  // namespace simdgrad

NAPI_MODULE_INIT() {
  using namespace simdgrad;
  // Frees the scratch of the thread this environment runs on when it shuts down (worker_threads).
  // The argument is the env itself: Node aborts on a duplicate (hook, arg) pair, which a second load
  // in the same environment (a cleared require cache) would otherwise register.
  napi_add_env_cleanup_hook(env, release_thread_scratch, (void*)env);
  const napi_property_descriptor props[] = {
      method("sgemm", Sgemm),
      method("sgemmBiasAct", SgemmBiasAct),
      method("axpy", Axpy),
      method("scale", Scale),
      method("add", Add),
      method("mul", Mul),
      method("biasAdd", BiasAdd),
      method("colSum", ColSum),
      method("activationForward", ActForward),
      method("activationBackward", ActBackward),
      method("availableIsas", AvailableIsas),
      method("selectIsa", SelectIsa),
      method("currentIsa", CurrentIsa),
      method("setNumThreads", SetNumThreads),
      method("getNumThreads", GetNumThreads),
      method("cpuCount", CpuCount),
      method("gemmConfig", GemmConfigInfo),
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  if (!register_norm(env, exports) || !register_optim(env, exports)) return nullptr;
  return exports;
}

// Node-API entry points for optimizer update steps (issue 5): sgdStep, adagradStep, rmspropStep,
// adamStep, all with one layout: (params[], grads[], s0[]|null, s1[]|null, s2[]|null, hyper, flags), hyper
// a Float64Array [lr, wd, decay, b1, c1, b2, c2, eps, bc2Sqrt] — a whole list of tensors per call. Reads every list element
// first (getters run then), then re-checks every array (Float32Array, lengths equal to the parameter's)
// with no JS in between, sets the floating-point environment (flush-to-zero keeps Adam's decaying
// state out of subnormals), calls ops_optim.cc. No math. Cross-tensor aliasing is checked in TypeScript.
#include <stdlib.h>

#include "../binding_call.h"
#include "../dispatch.h"
#include "../fpenv.h"
#include "ops_optim.h"

namespace simdgrad {
namespace {

// Which state lists a family needs, given the flags.
struct StateNeeds {
  bool s0, s1, s2;
};
typedef StateNeeds (*NeedsFn)(int flags);
StateNeeds sgd_needs(int f) { return {(f & OPT_MOMENTUM) != 0, false, false}; }
StateNeeds adagrad_needs(int) { return {true, false, false}; }
StateNeeds rmsprop_needs(int f) { return {true, (f & OPT_CENTERED) != 0, (f & OPT_MOMENTUM) != 0}; }
StateNeeds adam_needs(int f) { return {true, true, (f & OPT_AMSGRAD) != 0}; }

// Per-call scratch: the element handles of the 5 lists (pass 1), their data pointers and the offsets
// (pass 2). Groups of up to kStackTensors tensors live on the stack; larger lists take one heap block.
// Not the per-thread arena: a getter run by napi_get_element may call back into the addon (sgemm) and
// reallocate this thread's arena while the handles are stored in it.
constexpr size_t kStackTensors = 64;
constexpr size_t kBytesPerTensor = 5 * sizeof(napi_value) + 5 * sizeof(float*) + sizeof(size_t);
struct ListScratch {
  alignas(16) unsigned char local[(kStackTensors + 1) * kBytesPerTensor];
  void* heap = nullptr;
  ~ListScratch() { free(heap); }
  unsigned char* get(size_t count) {
    if (count <= kStackTensors) return local;
    size_t bytes;
    if (__builtin_mul_overflow(count + 1, kBytesPerTensor, &bytes)) return nullptr;
    heap = malloc(bytes);
    return (unsigned char*)heap;
  }
};

// Pass 1: checks that argument `ai` is an Array of `count` elements and stores its elements' handles.
// napi_get_element may run JS (getters), which may detach, resize or refill any array, so nothing
// about the elements is recorded here.
bool fetch_list(Call& c, size_t ai, const char* name, size_t count, napi_value* out) {
  char msg[200];
  bool is_array = false;
  uint32_t len = 0;
  if (napi_is_array(c.env, c.arg(ai), &is_array) != napi_ok || !is_array) {
    char got[32];
    c.describe(c.arg(ai), got, sizeof got);
    snprintf(msg, sizeof msg, "%s: %s must be an Array of Float32Array, got %s", c.fn, name, got);
    return c.type_error(msg);
  }
  napi_get_array_length(c.env, c.arg(ai), &len);
  if (len != count) {
    snprintf(msg, sizeof msg, "%s: %s has %u tensors, params has %zu", c.fn, name, len, count);
    return c.range_error(msg);
  }
  for (uint32_t i = 0; i < len; ++i) {
    if (napi_get_element(c.env, c.arg(ai), i, &out[i]) != napi_ok) {
      bool pending = false;
      napi_is_exception_pending(c.env, &pending);
      if (pending) return false;  // a getter threw: its exception propagates
      snprintf(msg, sizeof msg, "%s: %s[%u] could not be read", c.fn, name, i);
      return c.type_error(msg);
    }
  }
  return true;
}

// Pass 2 (no JS runs from here to the kernel's end): each handle must be a Float32Array of exactly
// lens[i] elements, or (record: the params list) its length is recorded into lens.
bool unwrap_list(Call& c, const char* name, size_t count, const napi_value* vals, float** out, size_t* lens, bool record) {
  char msg[200];
  for (size_t i = 0; i < count; ++i) {
    napi_typedarray_type t;
    size_t n = 0;
    void* data = nullptr;
    bool is_ta = false;
    if (napi_is_typedarray(c.env, vals[i], &is_ta) != napi_ok || !is_ta ||
        napi_get_typedarray_info(c.env, vals[i], &t, &n, &data, nullptr, nullptr) != napi_ok || t != napi_float32_array) {
      snprintf(msg, sizeof msg, "%s: %s[%zu] must be a Float32Array", c.fn, name, i);
      return c.type_error(msg);
    }
    if (n != 0 && data == nullptr) {
      snprintf(msg, sizeof msg, "%s: %s[%zu] has no data (detached buffer)", c.fn, name, i);
      return c.type_error(msg);
    }
    if (record) {
      lens[i] = n;
    } else if (n != lens[i]) {
      snprintf(msg, sizeof msg, "%s: %s[%zu].length %zu != params[%zu].length %zu", c.fn, name, i, n, i, lens[i]);
      return c.range_error(msg);
    }
    out[i] = (float*)data;
  }
  return true;
}

// Argument 5 is a Float64Array [lr, wd, decay, b1, c1, b2, c2, eps, bc2Sqrt] (one reused array: a call
// with ten double arguments would box each one, garbage on every optimizer step), argument 6 the flags.
// Read first, before any getter can run and refill the array.
bool read_hyper(Call& c, OptimHyper& h) {
  napi_typedarray_type t;
  size_t n = 0;
  void* data = nullptr;
  size_t flags;
  bool is_ta = false;
  if (napi_is_typedarray(c.env, c.arg(5), &is_ta) != napi_ok || !is_ta ||
      napi_get_typedarray_info(c.env, c.arg(5), &t, &n, &data, nullptr, nullptr) != napi_ok || t != napi_float64_array ||
      n < 9 || data == nullptr) {
    char msg[200];
    snprintf(msg, sizeof msg, "%s: hyper must be a Float64Array of 9 [lr, wd, decay, b1, c1, b2, c2, eps, bc2Sqrt]", c.fn);
    return c.type_error(msg);
  }
  const double* v = (const double*)data;
  h.lr = (float)v[0]; h.wd = (float)v[1]; h.decay = (float)v[2]; h.b1 = (float)v[3]; h.c1 = (float)v[4];
  h.b2 = (float)v[5]; h.c2 = (float)v[6]; h.eps = (float)v[7]; h.bc2_sqrt = (float)v[8];
  if (!c.dim(6, "flags", &flags)) return false;
  if (flags > 31) return c.range_error("optimizer step: flags must be in [0, 31]");
  h.flags = (int)flags;
  return true;
}

napi_value OptimStep(napi_env env, napi_callback_info info, const char* fn, NeedsFn needs, OptimStepFn OptimKernels::*k) {
  Call c(env, info, fn);
  OptimHyper h{};
  bool is_array = false;
  uint32_t count = 0;
  if (!read_hyper(c, h)) return nullptr;
  if (napi_is_array(env, c.arg(0), &is_array) != napi_ok || !is_array) {
    c.type_error("optimizer step: params must be an Array of Float32Array");
    return nullptr;
  }
  napi_get_array_length(env, c.arg(0), &count);
  ListScratch scratch;
  unsigned char* block = scratch.get(count);
  if (!block) {
    napi_throw_error(env, nullptr, "optimizer step: out of memory");
    return nullptr;
  }
  const size_t stride = (size_t)count + 1;
  napi_value* vals = (napi_value*)block;                  // 5 lists of count handles
  float** lists = (float**)(vals + 5 * stride);           // 5 lists of count pointers
  size_t* lens = (size_t*)(lists + 5 * stride);
  static const char* names[5] = {"params", "grads", "s0", "s1", "s2"};
  StateNeeds need = needs(h.flags);
  bool wanted[5] = {true, true, need.s0, need.s1, need.s2};
  // Pass 1 runs every getter of every list; pass 2 reads the arrays with no JS in between, so no
  // pointer or length recorded in pass 2 can be invalidated before the kernel runs.
  for (size_t a = 0; a < 5; ++a) {
    if (!wanted[a]) continue;
    if (a >= 2 && c.is_null(a)) {
      char msg[160];
      snprintf(msg, sizeof msg, "%s: state list %s is required by these flags", fn, names[a]);
      c.type_error(msg);
      return nullptr;
    }
    if (!fetch_list(c, a, names[a], count, vals + a * stride)) return nullptr;
  }
  for (size_t a = 0; a < 5; ++a) {
    float** out = lists + a * stride;
    if (!wanted[a]) { for (uint32_t i = 0; i < count; ++i) out[i] = nullptr; continue; }
    if (!unwrap_list(c, names[a], count, vals + a * stride, out, lens, a == 0)) return nullptr;
  }
  // The lengths become offsets in place: offset[i] = Σ_{j<i} len[j], offset[count] = total.
  size_t* offset = lens;
  size_t total = 0;
  for (uint32_t i = 0; i < count; ++i) {
    size_t n = offset[i];
    offset[i] = total;
    if (__builtin_add_overflow(total, n, &total)) { c.range_error("optimizer step: total size overflows"); return nullptr; }
  }
  offset[count] = total;
  OptimList l{count, offset, lists, (const float* const*)(lists + stride), need.s0 ? lists + 2 * stride : nullptr,
              need.s1 ? lists + 3 * stride : nullptr, need.s2 ? lists + 4 * stride : nullptr};
  FlushDenormalsScope fp;
  op_optim_step(dispatch_current()->optim.*k, l, h);
  return nullptr;
}

napi_value SgdStep(napi_env env, napi_callback_info info) {
  return OptimStep(env, info, "sgdStep", sgd_needs, &OptimKernels::sgd);
}
napi_value AdagradStep(napi_env env, napi_callback_info info) {
  return OptimStep(env, info, "adagradStep", adagrad_needs, &OptimKernels::adagrad);
}
napi_value RmspropStep(napi_env env, napi_callback_info info) {
  return OptimStep(env, info, "rmspropStep", rmsprop_needs, &OptimKernels::rmsprop);
}
napi_value AdamStep(napi_env env, napi_callback_info info) {
  return OptimStep(env, info, "adamStep", adam_needs, &OptimKernels::adam);
}

}  // namespace

bool register_optim(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      method("sgdStep", SgdStep),
      method("adagradStep", AdagradStep),
      method("rmspropStep", RmspropStep),
      method("adamStep", AdamStep),
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props) == napi_ok;
}

}  // namespace simdgrad

// Node-API entry points for optimizer update steps (issue 5): sgdStep, adagradStep, rmspropStep,
// adamStep, all with one layout: (params[], grads[], s0[]|null, s1[]|null, s2[]|null, lr, wd, decay,
// b1, c1, b2, c2, eps, bc2Sqrt, flags) — a whole list of tensors per call. Unpacks and re-checks every
// array (Float32Array, lengths equal to the parameter's) before touching any, sets the floating-point
// environment (flush-to-zero keeps Adam's decaying state out of subnormals), calls ops_optim.cc. No math.
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

// Scratch for one call: pointers of the 5 lists and the offsets (freed on every path).
struct ListScratch {
  void* block = nullptr;
  ~ListScratch() { free(block); }
};

// Unwraps JS array argument `ai` into out[0..count): each a Float32Array of exactly lens[i] elements,
// or (record: the params list) records each length into lens.
bool unwrap_list(Call& c, size_t ai, const char* name, size_t count, float** out, size_t* lens, bool record) {
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
    napi_value el;
    napi_typedarray_type t;
    size_t n = 0;
    void* data = nullptr;
    if (napi_get_element(c.env, c.arg(ai), i, &el) != napi_ok ||
        napi_get_typedarray_info(c.env, el, &t, &n, &data, nullptr, nullptr) != napi_ok || t != napi_float32_array) {
      snprintf(msg, sizeof msg, "%s: %s[%u] must be a Float32Array", c.fn, name, i);
      return c.type_error(msg);
    }
    if (record) {
      lens[i] = n;
    } else if (n != lens[i]) {
      snprintf(msg, sizeof msg, "%s: %s[%u].length %zu != params[%u].length %zu", c.fn, name, i, n, i, lens[i]);
      return c.range_error(msg);
    }
    out[i] = (float*)data;
  }
  return true;
}

bool read_hyper(Call& c, OptimHyper& h) {
  size_t flags;
  if (!c.num(5, "lr", &h.lr) || !c.num(6, "wd", &h.wd) || !c.num(7, "decay", &h.decay) || !c.num(8, "b1", &h.b1) ||
      !c.num(9, "c1", &h.c1) || !c.num(10, "b2", &h.b2) || !c.num(11, "c2", &h.c2) || !c.num(12, "eps", &h.eps) ||
      !c.num(13, "bc2Sqrt", &h.bc2_sqrt) || !c.dim(14, "flags", &flags))
    return false;
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
  scratch.block = malloc((size_t)(count + 1) * (5 * sizeof(float*) + sizeof(size_t)));
  if (!scratch.block) {
    napi_throw_error(env, nullptr, "optimizer step: out of memory");
    return nullptr;
  }
  float** lists = (float**)scratch.block;  // 5 lists of count pointers
  size_t* lens = (size_t*)(lists + 5 * (size_t)(count + 1));
  static const char* names[5] = {"params", "grads", "s0", "s1", "s2"};
  StateNeeds need = needs(h.flags);
  bool wanted[5] = {true, true, need.s0, need.s1, need.s2};
  for (size_t a = 0; a < 5; ++a) {
    float** out = lists + a * (size_t)(count + 1);
    if (!wanted[a]) { for (uint32_t i = 0; i < count; ++i) out[i] = nullptr; continue; }
    if (a >= 2 && c.is_null(a)) {
      char msg[160];
      snprintf(msg, sizeof msg, "%s: state list %s is required by these flags", fn, names[a]);
      c.type_error(msg);
      return nullptr;
    }
    if (!unwrap_list(c, a, names[a], count, out, lens, a == 0)) return nullptr;
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
  size_t stride = (size_t)(count + 1);
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
      {"sgdStep", nullptr, SgdStep, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"adagradStep", nullptr, AdagradStep, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"rmspropStep", nullptr, RmspropStep, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"adamStep", nullptr, AdamStep, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props) == napi_ok;
}

}  // namespace simdgrad

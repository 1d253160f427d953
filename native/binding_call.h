// Argument unpacking and checking for the Node-API entry points (binding.cc and the family
// bindings): one Call per JS call holds its arguments; each helper either succeeds or throws a JS
// TypeError/RangeError naming the kernel and the argument and returns false, after which the entry
// point returns nullptr at once. Generic code only (never included by ISA-flagged files).
#pragma once
#include <node_api.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kernels.h"

namespace simdgrad {
namespace {

constexpr size_t kMaxArgs = 16;
constexpr double kMaxSafeInt = 9007199254740991.0;  // 2^53 − 1

// One JS call: its arguments and the error-reporting helpers. A helper that fails throws a JS error
// and returns false; the caller returns nullptr at once.
struct Call {
  napi_env env;
  const char* fn;
  napi_value argv[kMaxArgs];
  size_t argc = kMaxArgs;

  Call(napi_env e, napi_callback_info info, const char* name) : env(e), fn(name) {
    if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) argc = 0;
    if (argc > kMaxArgs) argc = kMaxArgs;  // napi reports the real count; only kMaxArgs were stored
  }

  bool type_error(const char* msg) { napi_throw_type_error(env, nullptr, msg); return false; }
  bool range_error(const char* msg) { napi_throw_range_error(env, nullptr, msg); return false; }
  // A kernel could not get its scratch memory (the arena's allocation failed).
  bool out_of_memory() {
    char msg[120];
    snprintf(msg, sizeof msg, "%s: out of memory for scratch space", fn);
    napi_throw_error(env, nullptr, msg);
    return false;
  }

  // "number", "Array", "Float64Array", "null", ... for messages.
  void describe(napi_value v, char* out, size_t cap) {
    napi_valuetype t;
    if (napi_typeof(env, v, &t) != napi_ok) { snprintf(out, cap, "unknown"); return; }
    static const char* names[] = {"undefined", "null", "boolean", "number", "string", "symbol", "object", "function", "external", "bigint"};
    snprintf(out, cap, "%s", (unsigned)t < 10 ? names[t] : "unknown");
    if (t != napi_object) return;
    bool is = false;
    if (napi_is_array(env, v, &is) == napi_ok && is) { snprintf(out, cap, "Array"); return; }
    if (napi_is_typedarray(env, v, &is) == napi_ok && is) {
      static const char* tn[] = {"Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
                                 "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"};
      napi_typedarray_type tt;
      size_t len;
      if (napi_get_typedarray_info(env, v, &tt, &len, nullptr, nullptr, nullptr) == napi_ok && (unsigned)tt < 11) {
        snprintf(out, cap, "%s", tn[tt]);
        return;
      }
      snprintf(out, cap, "TypedArray");
      return;
    }
    if (napi_is_dataview(env, v, &is) == napi_ok && is) snprintf(out, cap, "DataView");
  }

  napi_value arg(size_t i) {
    if (i < argc) return argv[i];
    napi_value u;
    napi_get_undefined(env, &u);
    return u;
  }

  bool dim(size_t i, const char* name, size_t* out) {
    double v;
    char msg[200];
    if (napi_get_value_double(env, arg(i), &v) != napi_ok) {
      char got[32];
      describe(arg(i), got, sizeof got);
      snprintf(msg, sizeof msg, "%s: %s must be a non-negative integer, got %s", fn, name, got);
      return type_error(msg);
    }
    if (!(v >= 0) || v != floor(v) || v > kMaxSafeInt) {
      snprintf(msg, sizeof msg, "%s: %s must be a non-negative integer, got %g", fn, name, v);
      return range_error(msg);
    }
    *out = (size_t)v;
    return true;
  }

  bool num(size_t i, const char* name, float* out) {
    double v;
    if (napi_get_value_double(env, arg(i), &v) != napi_ok) {
      char msg[200], got[32];
      describe(arg(i), got, sizeof got);
      snprintf(msg, sizeof msg, "%s: %s must be a number, got %s", fn, name, got);
      return type_error(msg);
    }
    *out = (float)v;
    return true;
  }

  bool flag(size_t i, const char* name, bool* out) {
    if (napi_get_value_bool(env, arg(i), out) != napi_ok) {
      char msg[200], got[32];
      describe(arg(i), got, sizeof got);
      snprintf(msg, sizeof msg, "%s: %s must be a boolean, got %s", fn, name, got);
      return type_error(msg);
    }
    return true;
  }

  bool is_null(size_t i) {
    napi_valuetype t;
    return napi_typeof(env, arg(i), &t) == napi_ok && (t == napi_null || t == napi_undefined);
  }

  // A Float32Array's data and length (a detached buffer has length 0). nullable: null/undefined → null.
  bool f32(size_t i, const char* name, float** data, size_t* len, bool nullable = false) {
    if (nullable && is_null(i)) { *data = nullptr; *len = 0; return true; }
    napi_typedarray_type t;
    void* p = nullptr;
    if (napi_get_typedarray_info(env, arg(i), &t, len, &p, nullptr, nullptr) != napi_ok || t != napi_float32_array) {
      char msg[200], got[32];
      describe(arg(i), got, sizeof got);
      snprintf(msg, sizeof msg, "%s: %s must be a Float32Array%s, got %s", fn, name, nullable ? " or null" : "", got);
      return type_error(msg);
    }
    *data = (float*)p;
    return true;
  }

  // Checks that `len` covers a rows×cols matrix with row stride ld (ld ≥ max(1, cols)).
  bool extent(const char* name, size_t len, size_t rows, size_t cols, size_t ld, const char* ldname) {
    char msg[240];
    if (ld < cols || ld < 1) {
      snprintf(msg, sizeof msg, "%s: %s %zu < %zu (columns of %s)", fn, ldname, ld, cols > 1 ? cols : (size_t)1, name);
      return range_error(msg);
    }
    if (rows == 0 || cols == 0) return true;
    size_t need;
    if (__builtin_mul_overflow(rows - 1, ld, &need) || __builtin_add_overflow(need, cols, &need)) {
      snprintf(msg, sizeof msg, "%s: %s is too large (%zu×%zu, %s=%zu)", fn, name, rows, cols, ldname, ld);
      return range_error(msg);
    }
    if (len < need) {
      snprintf(msg, sizeof msg, "%s: %s.length %zu < %zu (%s is %zu×%zu, %s=%zu)", fn, name, len, need, name, rows, cols, ldname, ld);
      return range_error(msg);
    }
    return true;
  }

  bool length(const char* name, size_t len, size_t need, const char* what) {
    if (len >= need) return true;
    char msg[200];
    snprintf(msg, sizeof msg, "%s: %s.length %zu < %s = %zu", fn, name, len, what, need);
    return range_error(msg);
  }

  bool product(size_t a, size_t b, size_t* out) {
    if (!__builtin_mul_overflow(a, b, out)) return true;
    char msg[160];
    snprintf(msg, sizeof msg, "%s: size %zu×%zu is too large", fn, a, b);
    return range_error(msg);
  }

  bool act(size_t i, int* out) {
    size_t v;
    if (!dim(i, "act", &v)) return false;
    if (v >= (size_t)ACT_COUNT) {
      char msg[120];
      snprintf(msg, sizeof msg, "%s: act code %zu is not in [0, %d)", fn, v, ACT_COUNT);
      return range_error(msg);
    }
    *out = (int)v;
    return true;
  }
};

// One enumerable method of an exports object.
inline napi_property_descriptor method(const char* name, napi_callback fn) {
  return {name, nullptr, fn, nullptr, nullptr, nullptr, napi_enumerable, nullptr};
}

}  // namespace
}  // namespace simdgrad

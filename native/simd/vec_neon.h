// SIMD vocabulary, AArch64 NEON (the arm64 baseline): 4 float lanes. Included INSIDE an anonymous
// namespace of isa/neon.cc only (after <arm_neon.h>). Tails go through a small stack buffer.
typedef float32x4_t V;
typedef uint32x4_t M;
constexpr size_t W = 4;

inline V vzero() { return vdupq_n_f32(0.0f); }
inline V vset1(float x) { return vdupq_n_f32(x); }
inline V vload(const float* p) { return vld1q_f32(p); }
inline void vstore(float* p, V v) { vst1q_f32(p, v); }
inline V vload_n(const float* p, size_t n) {
  float t[4] = {0, 0, 0, 0};
  for (size_t i = 0; i < n; ++i) t[i] = p[i];
  return vld1q_f32(t);
}
inline void vstore_n(float* p, V v, size_t n) {
  float t[4];
  vst1q_f32(t, v);
  for (size_t i = 0; i < n; ++i) p[i] = t[i];
}
inline V vadd(V a, V b) { return vaddq_f32(a, b); }
inline V vsub(V a, V b) { return vsubq_f32(a, b); }
inline V vmul(V a, V b) { return vmulq_f32(a, b); }
inline V vdiv(V a, V b) { return vdivq_f32(a, b); }
inline V vfma(V a, V b, V c) { return vfmaq_f32(c, a, b); }
inline V vfnma(V a, V b, V c) { return vfmsq_f32(c, a, b); }
inline M vlt(V a, V b) { return vcltq_f32(a, b); }
inline M vgt(V a, V b) { return vcgtq_f32(a, b); }
inline M vle(V a, V b) { return vcleq_f32(a, b); }
inline V vselect(M m, V t, V f) { return vbslq_f32(m, t, f); }
inline V vabs(V x) { return vabsq_f32(x); }
inline V vcopysign(V mag, V sgn) { return vbslq_f32(vdupq_n_u32(0x80000000u), sgn, vabsq_f32(mag)); }
// FMAX/FMIN would return NaN too, but select keeps the same "NaN passes" contract explicitly.
inline V vclamp(V x, V lo, V hi) { return vselect(vlt(x, lo), lo, vselect(vgt(x, hi), hi, x)); }
inline V vround(V x) { return vrndnq_f32(x); }
inline V vpow2i(V n) {
  int32x4_t e = vaddq_s32(vcvtnq_s32_f32(n), vdupq_n_s32(127));
  return vreinterpretq_f32_s32(vshlq_n_s32(e, 23));
}
inline float vreduce_add(V v) { return vaddvq_f32(v); }
// --- added for norm kernels ---
// FMAX/FMIN (vmaxq/vminq) already return NaN when either operand is NaN.
inline V vmax_nan(V a, V b) { return vmaxq_f32(a, b); }
inline V vmin_nan(V a, V b) { return vminq_f32(a, b); }
// STNP has no portable intrinsic: a plain store; alignment of one vector keeps the head logic simple.
constexpr size_t kStreamAlign = 16;  // bytes
inline void vstream(float* p, V v) { vst1q_f32(p, v); }
inline void vstream_fence() {}
// --- added for optim kernels ---
inline V vsqrt(V x) { return vsqrtq_f32(x); }
// a > b ? a : b: b when either is NaN, as MAXPS on x86 (FMAX would return NaN for either)
inline V vmax(V a, V b) { return vbslq_f32(vcgtq_f32(a, b), a, b); }

// SIMD vocabulary, portable scalar: 1 lane. Included INSIDE an anonymous namespace of isa/scalar.cc.
// No fused multiply-add here: the generic x86-64 baseline has none and libm's fmaf is emulated (slow),
// so results differ from the FMA ISAs by rounding; tests' tolerances allow for it.
typedef float V;
typedef bool M;
constexpr size_t W = 1;

inline V vzero() { return 0.0f; }
inline V vset1(float x) { return x; }
inline V vload(const float* p) { return *p; }
inline void vstore(float* p, V v) { *p = v; }
inline V vload_n(const float*, size_t) { return 0.0f; }  // never called: W = 1 leaves no tails
inline void vstore_n(float*, V, size_t) {}
inline V vadd(V a, V b) { return a + b; }
inline V vsub(V a, V b) { return a - b; }
inline V vmul(V a, V b) { return a * b; }
inline V vdiv(V a, V b) { return a / b; }
inline V vfma(V a, V b, V c) { return a * b + c; }
inline V vfnma(V a, V b, V c) { return c - a * b; }
inline M vlt(V a, V b) { return a < b; }
inline M vgt(V a, V b) { return a > b; }
inline M vle(V a, V b) { return a <= b; }
inline V vselect(M m, V t, V f) { return m ? t : f; }
inline V vabs(V x) { return __builtin_fabsf(x); }
inline V vcopysign(V mag, V sgn) { return __builtin_copysignf(mag, sgn); }
inline V vclamp(V x, V lo, V hi) { return x < lo ? lo : (x > hi ? hi : x); }  // NaN passes
inline V vround(V x) { return __builtin_nearbyintf(x); }
inline V vpow2i(V n) {
  union { unsigned u; float f; } r;
  r.u = (unsigned)((int)n + 127) << 23;
  return r.f;
}
inline float vreduce_add(V v) { return v; }
// --- added for norm kernels ---
// max/min of an accumulator a and b that propagate NaN from either.
inline V vmax_nan(V a, V b) { return a != a ? a : (b != b || b > a ? b : a); }
inline V vmin_nan(V a, V b) { return a != a ? a : (b != b || b < a ? b : a); }
// No non-temporal store in the portable set: a plain store (alignment of one float).
constexpr size_t kStreamAlign = 4;  // bytes
inline void vstream(float* p, V v) { *p = v; }
inline void vstream_fence() {}
// --- added for optim kernels ---
inline V vsqrt(V x) { return __builtin_sqrtf(x); }
// a > b ? a : b: b when either is NaN, as MAXPS (the same rule on every ISA)
inline V vmax(V a, V b) { return a > b ? a : b; }

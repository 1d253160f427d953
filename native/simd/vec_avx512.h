// SIMD vocabulary, AVX-512F: 16 float lanes, k-register masks. Included INSIDE an anonymous namespace
// of isa/avx512.cc only (after <immintrin.h>), so nothing here has external linkage (COMDAT trap,
// TOOLCHAIN.md). The same names exist in vec_avx2.h, vec_neon.h and vec_scalar.h.
typedef __m512 V;
typedef __mmask16 M;
constexpr size_t W = 16;

inline M tail_mask(size_t n) { return (M)((1u << n) - 1u); }  // n < W
inline V vzero() { return _mm512_setzero_ps(); }
inline V vset1(float x) { return _mm512_set1_ps(x); }
inline V vload(const float* p) { return _mm512_loadu_ps(p); }
inline void vstore(float* p, V v) { _mm512_storeu_ps(p, v); }
// First n (< W) lanes; the others read as 0 and are not touched on store.
inline V vload_n(const float* p, size_t n) { return _mm512_maskz_loadu_ps(tail_mask(n), p); }
inline void vstore_n(float* p, V v, size_t n) { _mm512_mask_storeu_ps(p, tail_mask(n), v); }
inline V vadd(V a, V b) { return _mm512_add_ps(a, b); }
inline V vsub(V a, V b) { return _mm512_sub_ps(a, b); }
inline V vmul(V a, V b) { return _mm512_mul_ps(a, b); }
inline V vdiv(V a, V b) { return _mm512_div_ps(a, b); }
inline V vfma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }    // a·b + c
inline V vfnma(V a, V b, V c) { return _mm512_fnmadd_ps(a, b, c); }  // c − a·b
inline M vlt(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
inline M vgt(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
inline M vle(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
inline V vselect(M m, V t, V f) { return _mm512_mask_blend_ps(m, f, t); }
inline V vabs(V x) { return _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(x), _mm512_set1_epi32(0x7fffffff))); }
// |mag| with the sign of sgn
inline V vcopysign(V mag, V sgn) {
  __m512i s = _mm512_and_si512(_mm512_castps_si512(sgn), _mm512_set1_epi32((int)0x80000000u));
  return _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(vabs(mag)), s));
}
// Clamp to [lo, hi] letting NaN through: MAXPS/MINPS return their second operand when one is NaN.
inline V vclamp(V x, V lo, V hi) { return _mm512_min_ps(hi, _mm512_max_ps(lo, x)); }
inline V vround(V x) { return _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
// 2^n for integral n in [-127, 127] (n = -127 gives 0)
inline V vpow2i(V n) {
  __m512i e = _mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127));
  return _mm512_castsi512_ps(_mm512_slli_epi32(e, 23));
}
inline float vreduce_add(V v) { return _mm512_reduce_add_ps(v); }
// --- added for norm kernels ---
// max/min of an accumulator a and b that propagate NaN from either (MAXPS returns its second operand
// when one is NaN, so b's NaN passes; a's NaN is kept by the select).
inline V vmax_nan(V a, V b) { return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q), _mm512_max_ps(a, b), a); }
inline V vmin_nan(V a, V b) { return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q), _mm512_min_ps(a, b), a); }
// Non-temporal store (p aligned to W floats); vstream_fence orders them before the call returns.
constexpr size_t kStreamAlign = 64;  // bytes
inline void vstream(float* p, V v) { _mm512_stream_ps(p, v); }
inline void vstream_fence() { _mm_sfence(); }
// --- added for optim kernels ---
inline V vsqrt(V x) { return _mm512_sqrt_ps(x); }
// a > b ? a : b: b when either is NaN (MAXPS)
inline V vmax(V a, V b) { return _mm512_max_ps(a, b); }

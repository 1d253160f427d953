// SIMD vocabulary, AVX2 + FMA: 8 float lanes, masks as all-ones lanes. Included INSIDE an anonymous
// namespace of isa/avx2.cc only (after <immintrin.h>), so nothing here has external linkage (COMDAT
// trap, TOOLCHAIN.md). The same names exist in vec_avx512.h, vec_neon.h and vec_scalar.h.
typedef __m256 V;
typedef __m256 M;
constexpr size_t W = 8;

inline __m256i tail_mask(size_t n) {  // n < W: lanes [0, n) all-ones
  return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
inline V vzero() { return _mm256_setzero_ps(); }
inline V vset1(float x) { return _mm256_set1_ps(x); }
inline V vload(const float* p) { return _mm256_loadu_ps(p); }
inline void vstore(float* p, V v) { _mm256_storeu_ps(p, v); }
inline V vload_n(const float* p, size_t n) { return _mm256_maskload_ps(p, tail_mask(n)); }
inline void vstore_n(float* p, V v, size_t n) { _mm256_maskstore_ps(p, tail_mask(n), v); }
inline V vadd(V a, V b) { return _mm256_add_ps(a, b); }
inline V vsub(V a, V b) { return _mm256_sub_ps(a, b); }
inline V vmul(V a, V b) { return _mm256_mul_ps(a, b); }
inline V vdiv(V a, V b) { return _mm256_div_ps(a, b); }
inline V vfma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
inline V vfnma(V a, V b, V c) { return _mm256_fnmadd_ps(a, b, c); }
inline M vlt(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
inline M vgt(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
inline M vle(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_LE_OQ); }
inline V vselect(M m, V t, V f) { return _mm256_blendv_ps(f, t, m); }
inline V vabs(V x) { return _mm256_and_ps(x, _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff))); }
inline V vcopysign(V mag, V sgn) {
  V s = _mm256_and_ps(sgn, _mm256_castsi256_ps(_mm256_set1_epi32((int)0x80000000u)));
  return _mm256_or_ps(vabs(mag), s);
}
inline V vclamp(V x, V lo, V hi) { return _mm256_min_ps(hi, _mm256_max_ps(lo, x)); }
inline V vround(V x) { return _mm256_round_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
inline V vpow2i(V n) {
  __m256i e = _mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127));
  return _mm256_castsi256_ps(_mm256_slli_epi32(e, 23));
}
inline float vreduce_add(V v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}
// --- added for norm kernels ---
// max/min of an accumulator a and b that propagate NaN from either (MAXPS returns its second operand
// when one is NaN, so b's NaN passes; a's NaN is kept by the blend).
inline V vmax_nan(V a, V b) { return _mm256_blendv_ps(_mm256_max_ps(a, b), a, _mm256_cmp_ps(a, a, _CMP_UNORD_Q)); }
inline V vmin_nan(V a, V b) { return _mm256_blendv_ps(_mm256_min_ps(a, b), a, _mm256_cmp_ps(a, a, _CMP_UNORD_Q)); }
// Non-temporal store (p aligned to W floats); vstream_fence orders them before the call returns.
constexpr size_t kStreamAlign = 32;  // bytes
inline void vstream(float* p, V v) { _mm256_stream_ps(p, v); }
inline void vstream_fence() { _mm_sfence(); }
// --- added for optim kernels ---
inline V vsqrt(V x) { return _mm256_sqrt_ps(x); }
// a > b ? a : b: b when either is NaN (MAXPS)
inline V vmax(V a, V b) { return _mm256_max_ps(a, b); }

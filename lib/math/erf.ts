// erf(x) and erfc(x) in double precision: a line-by-line port of FreeBSD msun's s_erf.c (Sun fdlibm).
// Contract: < 1 ulp error in fdlibm's analysis; erf(±Inf) = ±1, erfc(+Inf) = 0, erfc(-Inf) = 2,
// NaN → NaN, erf(-0) = -0. Uses Math.exp (V8's port of fdlibm's exp) for the exponentials.
// Not here: float32 variants, inverse erf, vectorized forms.

/*
 * The constants, intervals and algorithm below come from s_erf.c 5.1 93/09/24:
 * ====================================================
 * Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 *
 * Developed at SunPro, a Sun Microsystems, Inc. business.
 * Permission to use, copy, modify, and distribute this
 * software is freely granted, provided that this notice
 * is preserved.
 * ====================================================
 *
 * Method (summary of the original comment; intervals on |x|):
 *  1. [0, 0.84375]:      erf(x) = x + x·R(x²), R = P/Q rational, |R − (erf(x)−x)/x| ≤ 2^−57.90
 *  2. [0.84375, 1.25]:   s = |x| − 1, erf(x) = sign(x)·(c + P1(s)/Q1(s)), c = 0.84506291151 rounded to float
 *  3. [1.25, 1/0.35]:    erfc(x) = (1/x)·exp(−x² − 0.5625 + R1/S1), z = 1/x²
 *  4. [1/0.35, 28]:      erfc(x) = (1/x)·exp(−x² − 0.5625 + R2/S2); erf saturates at ±1 from |x| ≥ 6
 *  5. [28, Inf):         erf = sign(x)·(1 − tiny), erfc = tiny² (x > 0) or 2 − tiny (x < 0)
 * exp(−x²) is split as exp(−s² − 0.5625)·exp((s − x)(s + x) + R/S) with s = x truncated to its high
 * 32 bits, so that −s² is exact.
 */

const tiny = 1e-300;
const half = 0.5;
const one = 1;
const two = 2;
/* c = (float)0.84506291151 */
const erx = 8.45062911510467529297e-01; /* 0x3FEB0AC1, 0x60000000 */
// In [0, 2**-28] only the first term of the power series is used (next term < 2**-84).
const efx = 1.28379167095512586316e-01; /* 0x3FC06EBA, 0x8214DB69 */
const efx8 = 1.02703333676410069053e+00; /* 0x3FF06EBA, 0x8214DB69 */
// Coefficients for approximation to erf on [0, 0.84375].
const pp0 = 1.28379167095512558561e-01; /* 0x3FC06EBA, 0x8214DB68 */
const pp1 = -3.25042107247001499370e-01; /* 0xBFD4CD7D, 0x691CB913 */
const pp2 = -2.84817495755985104766e-02; /* 0xBF9D2A51, 0xDBD7194F */
const pp3 = -5.77027029648944159157e-03; /* 0xBF77A291, 0x236668E4 */
const pp4 = -2.37630166566501626084e-05; /* 0xBEF8EAD6, 0x120016AC */
const qq1 = 3.97917223959155352819e-01; /* 0x3FD97779, 0xCDDADC09 */
const qq2 = 6.50222499887672944485e-02; /* 0x3FB0A54C, 0x5536CEBA */
const qq3 = 5.08130628187576562776e-03; /* 0x3F74D022, 0xC4D36B0F */
const qq4 = 1.32494738004321644526e-04; /* 0x3F215DC9, 0x221C1A10 */
const qq5 = -3.96022827877536812320e-06; /* 0xBED09C43, 0x42A26120 */
// Coefficients for approximation to erf in [0.84375, 1.25].
const pa0 = -2.36211856075265944077e-03; /* 0xBF6359B8, 0xBEF77538 */
const pa1 = 4.14856118683748331666e-01; /* 0x3FDA8D00, 0xAD92B34D */
const pa2 = -3.72207876035701323847e-01; /* 0xBFD7D240, 0xFBB8C3F1 */
const pa3 = 3.18346619901161753674e-01; /* 0x3FD45FCA, 0x805120E4 */
const pa4 = -1.10894694282396677476e-01; /* 0xBFBC6398, 0x3D3E28EC */
const pa5 = 3.54783043256182359371e-02; /* 0x3FA22A36, 0x599795EB */
const pa6 = -2.16637559486879084300e-03; /* 0xBF61BF38, 0x0A96073F */
const qa1 = 1.06420880400844228286e-01; /* 0x3FBB3E66, 0x18EEE323 */
const qa2 = 5.40397917702171048937e-01; /* 0x3FE14AF0, 0x92EB6F33 */
const qa3 = 7.18286544141962662868e-02; /* 0x3FB2635C, 0xD99FE9A7 */
const qa4 = 1.26171219808761642112e-01; /* 0x3FC02660, 0xE763351F */
const qa5 = 1.36370839120290507362e-02; /* 0x3F8BEDC2, 0x6B51DD1C */
const qa6 = 1.19844998467991074170e-02; /* 0x3F888B54, 0x5735151D */
// Coefficients for approximation to erfc in [1.25, 1/0.35].
const ra0 = -9.86494403484714822705e-03; /* 0xBF843412, 0x600D6435 */
const ra1 = -6.93858572707181764372e-01; /* 0xBFE63416, 0xE4BA7360 */
const ra2 = -1.05586262253232909814e+01; /* 0xC0251E04, 0x41B0E726 */
const ra3 = -6.23753324503260060396e+01; /* 0xC04F300A, 0xE4CBA38D */
const ra4 = -1.62396669462573470355e+02; /* 0xC0644CB1, 0x84282266 */
const ra5 = -1.84605092906711035994e+02; /* 0xC067135C, 0xEBCCABB2 */
const ra6 = -8.12874355063065934246e+01; /* 0xC0545265, 0x57E4D2F2 */
const ra7 = -9.81432934416914548592e+00; /* 0xC023A0EF, 0xC69AC25C */
const sa1 = 1.96512716674392571292e+01; /* 0x4033A6B9, 0xBD707687 */
const sa2 = 1.37657754143519042600e+02; /* 0x4061350C, 0x526AE721 */
const sa3 = 4.34565877475229228821e+02; /* 0x407B290D, 0xD58A1A71 */
const sa4 = 6.45387271733267880336e+02; /* 0x40842B19, 0x21EC2868 */
const sa5 = 4.29008140027567833386e+02; /* 0x407AD021, 0x57700314 */
const sa6 = 1.08635005541779435134e+02; /* 0x405B28A3, 0xEE48AE2C */
const sa7 = 6.57024977031928170135e+00; /* 0x401A47EF, 0x8E484A93 */
const sa8 = -6.04244152148580987438e-02; /* 0xBFAEEFF2, 0xEE749A62 */
// Coefficients for approximation to erfc in [1/0.35, 28].
const rb0 = -9.86494292470009928597e-03; /* 0xBF843412, 0x39E86F4A */
const rb1 = -7.99283237680523006574e-01; /* 0xBFE993BA, 0x70C285DE */
const rb2 = -1.77579549177547519889e+01; /* 0xC031C209, 0x555F995A */
const rb3 = -1.60636384855821916062e+02; /* 0xC064145D, 0x43C5ED98 */
const rb4 = -6.37566443368389627722e+02; /* 0xC083EC88, 0x1375F228 */
const rb5 = -1.02509513161107724954e+03; /* 0xC0900461, 0x6A2E5992 */
const rb6 = -4.83519191608651397019e+02; /* 0xC07E384E, 0x9BDC383F */
const sb1 = 3.03380607434824582924e+01; /* 0x403E568B, 0x261D5190 */
const sb2 = 3.25792512996573918826e+02; /* 0x40745CAE, 0x221B9F0A */
const sb3 = 1.53672958608443695994e+03; /* 0x409802EB, 0x189D5118 */
const sb4 = 3.19985821950859553908e+03; /* 0x40A8FFB7, 0x688C246A */
const sb5 = 2.55305040643316442583e+03; /* 0x40A3F219, 0xCEDF3BE6 */
const sb6 = 4.74528541206955367215e+02; /* 0x407DA874, 0xE79FE763 */
const sb7 = -2.24409524465858183362e+01; /* 0xC03670E2, 0x42712D62 */

// Word access to a double (GET_HIGH_WORD / SET_LOW_WORD). One module-level scratch: JS runs one
// call at a time per isolate, and each worker_thread gets its own module instance.
const scratch = new DataView(new ArrayBuffer(8));

/** The high 32 bits (sign, exponent, top of the mantissa) of x, as a signed int32 like fdlibm's hx. */
function highWord(x: number): number {
  scratch.setFloat64(0, x);
  return scratch.getInt32(0);
}

/** x with its low 32 mantissa bits cleared (SET_LOW_WORD(z, 0)). */
function clearLowWord(x: number): number {
  scratch.setFloat64(0, x);
  scratch.setUint32(4, 0);
  return scratch.getFloat64(0);
}

/** erf on [0.84375, 1.25): P1(s)/Q1(s) with s = |x| − 1. */
function ratioNearOne(s: number): number {
  const P = pa0 + s * (pa1 + s * (pa2 + s * (pa3 + s * (pa4 + s * (pa5 + s * pa6)))));
  const Q = one + s * (qa1 + s * (qa2 + s * (qa3 + s * (qa4 + s * (qa5 + s * qa6)))));
  return P / Q;
}

/** R/S of [0, 0.84375): erf(x) = x + x·R(x²)/S(x²). */
function ratioSmall(x: number): number {
  const z = x * x;
  const r = pp0 + z * (pp1 + z * (pp2 + z * (pp3 + z * pp4)));
  const s = one + z * (qq1 + z * (qq2 + z * (qq3 + z * (qq4 + z * qq5))));
  return r / s;
}

/**
 * x·erfc(x) for x = |input| in [1.25, 28): exp(−z² − 0.5625)·exp((z − x)(z + x) + R/S), where
 * `useR1` picks the [1.25, 1/0.35) approximation (the caller's threshold, which differs by one ulp
 * of the high word between erf and erfc in the original).
 */
function tailExp(x: number, useR1: boolean): number {
  const s = one / (x * x);
  let R: number;
  let S: number;
  if (useR1) {
    R = ra0 + s * (ra1 + s * (ra2 + s * (ra3 + s * (ra4 + s * (ra5 + s * (ra6 + s * ra7))))));
    S = one + s * (sa1 + s * (sa2 + s * (sa3 + s * (sa4 + s * (sa5 + s * (sa6 + s * (sa7 + s * sa8)))))));
  } else {
    R = rb0 + s * (rb1 + s * (rb2 + s * (rb3 + s * (rb4 + s * (rb5 + s * rb6)))));
    S = one + s * (sb1 + s * (sb2 + s * (sb3 + s * (sb4 + s * (sb5 + s * (sb6 + s * sb7))))));
  }
  const z = clearLowWord(x);
  return Math.exp(-z * z - 0.5625) * Math.exp((z - x) * (z + x) + R / S);
}

/** The error function erf(x) = 2/√π ∫₀ˣ exp(−t²) dt (fdlibm s_erf.c). */
export function erf(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x7ff00000) {
    // erf(NaN) = NaN, erf(±Inf) = ±1
    const i = (hx >>> 31) << 1;
    return (1 - i) + one / x;
  }
  if (ix < 0x3feb0000) { // |x| < 0.84375
    if (ix < 0x3e300000) { // |x| < 2**-28
      if (ix < 0x00800000) return (8 * x + efx8 * x) / 8; // avoid spurious underflow
      return x + efx * x;
    }
    return x + x * ratioSmall(x);
  }
  if (ix < 0x3ff40000) { // 0.84375 <= |x| < 1.25
    const q = ratioNearOne(Math.abs(x) - one);
    return hx >= 0 ? erx + q : -erx - q;
  }
  if (ix >= 0x40180000) { // inf > |x| >= 6
    return hx >= 0 ? one - tiny : tiny - one;
  }
  const ax = Math.abs(x);
  const r = tailExp(ax, ix < 0x4006db6e); // |x| < 1/0.35
  return hx >= 0 ? one - r / ax : r / ax - one;
}

/** The complementary error function erfc(x) = 1 − erf(x), accurate in the tail (fdlibm s_erf.c). */
export function erfc(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x7ff00000) {
    // erfc(NaN) = NaN, erfc(+Inf) = 0, erfc(-Inf) = 2
    return ((hx >>> 31) << 1) + one / x;
  }
  if (ix < 0x3feb0000) { // |x| < 0.84375
    if (ix < 0x3c700000) return one - x; // |x| < 2**-56
    const y = ratioSmall(x);
    if (hx < 0x3fd00000) return one - (x + x * y); // x < 1/4 (signed hx: includes negative x)
    let r = x * y;
    r += x - half;
    return half - r;
  }
  if (ix < 0x3ff40000) { // 0.84375 <= |x| < 1.25
    const q = ratioNearOne(Math.abs(x) - one);
    if (hx >= 0) return (one - erx) - q;
    return one + (erx + q);
  }
  if (ix < 0x403c0000) { // |x| < 28
    if (hx < 0 && ix >= 0x40180000) return two - tiny; // x < -6
    const ax = Math.abs(x);
    const r = tailExp(ax, ix < 0x4006db6d); // |x| < 1/0.35
    return hx > 0 ? r / ax : two - r / ax;
  }
  return hx > 0 ? tiny * tiny : two - tiny;
}

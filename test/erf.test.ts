// Tests for lib/math/erf.ts (fdlibm port): values against mpmath at 40 digits, rounded to double,
// symmetry, special values. Checked: erf relative error < 2e-16; erfc within 2 ulp (< 4.5e-16 relative),
// which is fdlibm's (and glibc's) tail accuracy: erfc(2.9) and erfc(5.2) are 2 ulp off in both.
import { describe, expect, it } from 'vitest';
import { erf, erfc } from '../lib/math/erf';

// [x, erf(x), erfc(x)], computed with mpmath (mp.dps = 40) and rounded to the nearest double.
const TABLE: ReadonlyArray<readonly [number, number, number]> = [
  [0.0625, 0.07043197772238707, 0.9295680222776129],
  [0.25, 0.27632639016823696, 0.7236736098317631],
  [0.3, 0.3286267594591274, 0.6713732405408726],
  [0.5, 0.5204998778130465, 0.4795001221869535],
  [0.6, 0.6038560908479259, 0.3961439091520741],
  [0.8, 0.7421009647076605, 0.2578990352923395],
  [0.84375, 0.7672256612323416, 0.23277433876765838],
  [0.9, 0.7969082124228322, 0.20309178757716786],
  [1, 0.8427007929497149, 0.15729920705028513],
  [1.1, 0.8802050695740817, 0.11979493042591827],
  [1.2, 0.9103139782296353, 0.08968602177036464],
  [1.25, 0.9229001282564583, 0.07709987174354177],
  [1.3, 0.9340079449406524, 0.06599205505934755],
  [1.7, 0.9837904585907745, 0.01620954140922544],
  [2, 0.9953222650189527, 0.004677734981047266],
  [2.2, 0.9981371537020182, 0.0018628462979818898],
  [2.5, 0.999593047982555, 0.0004069520174449589],
  [2.8, 0.9999249868053346, 7.501319466545911e-05],
  [2.86, 0.9999475988269556, 5.24011730443978e-05],
  [2.9, 0.9999589021219005, 4.109787809945886e-05],
  [3, 0.9999779095030014, 2.209049699858544e-05],
  [3.5, 0.9999992569016276, 7.430983723414128e-07],
  [4, 0.9999999845827421, 1.541725790028002e-08],
  [4.5, 0.9999999998033839, 1.9661604415428876e-10],
  [5.2, 0.9999999999998075, 1.9249061099972322e-13],
  [5.5, 0.9999999999999927, 7.357847917974398e-15],
  [6, 1.0, 2.1519736712498913e-17],
  [8, 1.0, 1.1224297172982926e-29],
  [10, 1.0, 2.088487583762545e-45],
  [15, 1.0, 7.212994172451207e-100],
  [26.5, 1.0, 2.2109076642637343e-307],
  [-0.3, -0.3286267594591274, 1.3286267594591274],
  [-0.5, -0.5204998778130465, 1.5204998778130465],
  [-1, -0.8427007929497149, 1.8427007929497148],
  [-1.5, -0.9661051464753108, 1.9661051464753108],
  [-2, -0.9953222650189527, 1.9953222650189528],
  [-2.5, -0.999593047982555, 1.999593047982555],
  [-4, -0.9999999845827421, 1.999999984582742],
];

function relErr(got: number, want: number): number {
  return want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
}

describe('erf / erfc against high-precision values', () => {
  it('quoted reference values', () => {
    expect(erf(0.5)).toBe(0.5204998778130465);
    expect(erf(1)).toBe(0.8427007929497149);
    expect(erf(2)).toBe(0.9953222650189527);
    // erfc(3) and erfc(6) come out 1 ulp from the correctly rounded values, as glibc's do.
    expect(relErr(erfc(3), 2.209049699858544e-05)).toBeLessThan(2.5e-16);
    expect(relErr(erfc(6), 2.1519736712498913e-17)).toBeLessThan(2.5e-16);
  });

  it.each(TABLE)('x = %d: erf relative error < 2e-16, erfc < 4.5e-16', (x, e, ec) => {
    const a = erf(x);
    const b = erfc(x);
    if (relErr(a, e) >= 2e-16) throw new Error(`erf(${x}) = ${a}, want ${e}, rel ${relErr(a, e)}`);
    if (relErr(b, ec) >= 4.5e-16) throw new Error(`erfc(${x}) = ${b}, want ${ec}, rel ${relErr(b, ec)}`);
  });

  it('erfc below 1.25 (where erf is not saturated) is within 2e-16 relative', () => {
    for (const [x, , ec] of TABLE) {
      if (x < 1.25) expect(relErr(erfc(x), ec)).toBeLessThan(2e-16);
    }
  });

  it('tiny arguments: erf(x) ≈ 2x/√π, erfc(x) ≈ 1', () => {
    expect(relErr(erf(1e-10), 1.1283791670955126e-10)).toBeLessThan(2e-16);
    expect(relErr(erf(1e-300), 1.1283791670955126e-300)).toBeLessThan(2e-16);
    expect(erf(5e-324)).toBeGreaterThan(0); // subnormal path stays non-zero
    expect(erfc(1e-20)).toBe(1);
  });
});

describe('erf / erfc symmetry and special values', () => {
  it('erf is odd and erfc(-x) = 2 - erfc(x) across every interval', () => {
    for (let x = 0; x < 30; x += 0.0137) {
      expect(erf(-x)).toBe(-erf(x));
      expect(Math.abs(erfc(-x) - (2 - erfc(x)))).toBeLessThanOrEqual(4.5e-16);
      expect(Math.abs(erf(x) + erfc(x) - 1)).toBeLessThanOrEqual(3.4e-16);
    }
  });

  it('erf is monotone non-decreasing on a fine grid', () => {
    let prev = erf(-7);
    for (let x = -7; x <= 7; x += 0.001) {
      const v = erf(x);
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
    }
  });

  it('zeros, infinities and NaN', () => {
    expect(Object.is(erf(0), 0)).toBe(true);
    expect(Object.is(erf(-0), -0)).toBe(true);
    expect(erfc(0)).toBe(1);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erf(NaN)).toBeNaN();
    expect(erfc(NaN)).toBeNaN();
    expect(erf(40)).toBe(1);
    expect(erfc(30)).toBe(0);
    expect(erfc(-30)).toBe(2);
    expect(erfc(-7)).toBe(2);
  });
});

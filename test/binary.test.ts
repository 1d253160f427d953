// Portability guards on the built addon (DESIGN.md "Portability of the binaries"), read with objdump
// (binutils comes with g++): no AVX/AVX2/AVX-512 instruction outside the functions of an ISA-named
// namespace (simdgrad::avx2 / simdgrad::avx512), or generic code could run it on a CPU without that ISA
// (the COMDAT trap of TOOLCHAIN.md); and no glibc symbol version above 2.17 nor libstdc++ version above
// the base GLIBCXX_3.4, so prebuilds load on older distributions.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const addon = path.resolve(__dirname, '../build/Release/simdgrad.node');
const hasObjdump = spawnSync('objdump', ['--version']).status === 0;

describe('the built addon', () => {
  it.runIf(process.arch === 'x64' && hasObjdump && fs.existsSync(addon))('uses ymm/zmm registers only inside ISA-named functions', () => {
    const r = spawnSync('objdump', ['-d', '-C', '--no-show-raw-insn', addon], { encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(r.status).toBe(0);
    const offenders = new Set<string>();
    const isaFns = new Set<string>();
    let fn = '';
    for (const line of r.stdout.split('\n')) {
      const head = /^[0-9a-f]+ <(.*)>:$/.exec(line);
      if (head) {
        fn = head[1]!;
        continue;
      }
      if (/%[yz]mm\d/.test(line)) {
        if (/simdgrad::(avx2|avx512)::/.test(fn)) isaFns.add(fn);
        else offenders.add(fn);
      }
    }
    expect([...offenders], 'functions outside simdgrad::avx2/avx512 using ymm/zmm').toEqual([]);
    expect(isaFns.size).toBeGreaterThan(0); // the scan sees the ISA kernels at all
  });

  it.runIf(process.platform === 'linux' && hasObjdump && fs.existsSync(addon))('needs glibc ≤ 2.17 and only base libstdc++ versions', () => {
    const r = spawnSync('objdump', ['-T', addon], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const versions = (prefix: string) => [...r.stdout.matchAll(new RegExp(`\\(${prefix}_([0-9.]+)\\)`, 'g'))].map((m) => m[1]!);
    const newer = (v: string, max: string) => {
      const a = v.split('.').map(Number), b = max.split('.').map(Number);
      for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
      return false;
    };
    const glibc = versions('GLIBC');
    expect(glibc.length).toBeGreaterThan(0);
    expect(glibc.filter((v) => newer(v, '2.17')), 'GLIBC versions above 2.17').toEqual([]);
    expect(versions('GLIBCXX').filter((v) => newer(v, '3.4')), 'GLIBCXX versions above 3.4').toEqual([]);
  });
});

// Portability guard (DESIGN.md "Portability of the binaries"): no AVX/AVX2/AVX-512 instruction may sit
// outside the functions of an ISA-named namespace (simdgrad::avx2 / simdgrad::avx512), or generic code
// could execute it on a CPU without that ISA (the COMDAT trap of TOOLCHAIN.md). Reads the built
// addon's disassembly with objdump (binutils comes with g++).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const addon = path.resolve(__dirname, '../build/Release/simdgrad.node');
const hasObjdump = spawnSync('objdump', ['--version']).status === 0;

describe('ISA isolation in the built addon', () => {
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
});

// Test projects: 'unit' runs everything that does not depend on the instruction set; one
// 'native-<isa>' project per ISA this machine supports runs test/native/ in its own processes with
// SIMDGRAD_ISA set, and those tests assert backendInfo().isa, so an ignored switch cannot pass.
import { defineConfig } from 'vitest/config';
import { createRequire } from 'node:module';
import path from 'node:path';

function availableIsas(): string[] {
  try {
    const require = createRequire(import.meta.url);
    const load = require('node-gyp-build') as (dir: string) => { availableIsas(): string[] };
    return load(path.dirname(new URL(import.meta.url).pathname)).availableIsas();
  } catch {
    return []; // no native binary: test/unit's backend test reports it
  }
}

export default defineConfig({
  test: {
    testTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/native/**'] } },
      ...availableIsas().map((isa) => ({
        extends: true,
        test: {
          name: `native-${isa}`,
          include: ['test/native/**/*.test.ts'],
          env: { SIMDGRAD_ISA: isa, SIMDGRAD_BACKEND: 'native' },
        },
      })),
    ],
  },
});

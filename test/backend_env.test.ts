// Backend selection as a user sees it: backendInfo(), and the SIMDGRAD_BACKEND / SIMDGRAD_ISA /
// SIMDGRAD_THREADS switches read once at load. Each switch runs in a fresh Node process against a
// compiled copy of lib/ (.test-dist/, beside the repo's build/ so the addon is found).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { backendInfo, backends, getNumThreads, setBackend, setNumThreads } from '../lib/index';

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, '.test-dist');

beforeAll(() => {
  fs.rmSync(outDir, { recursive: true, force: true });
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', outDir],
    { cwd: root, stdio: 'pipe' });
}, 60_000);

function run(env: Record<string, string>, code = 'console.log(JSON.stringify(s.backendInfo()))') {
  const r = spawnSync(process.execPath, ['-e', `const s = require(${JSON.stringify(outDir)}); ${code}`], {
    env: { ...process.env, SIMDGRAD_BACKEND: '', SIMDGRAD_ISA: '', SIMDGRAD_THREADS: '', ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('backend selection', () => {
  it('loads the native backend in this checkout (CI builds it)', () => {
    expect(backends.native, 'the native addon did not load: ' + backendInfo().nativeError).not.toBeNull();
    const info = backendInfo();
    expect(info.isas.length).toBeGreaterThan(0);
    expect(info.isas[info.isas.length - 1]).toBe('scalar');
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.threads).toBeGreaterThanOrEqual(1);
  });

  it('setBackend and setNumThreads switch at run time and validate', () => {
    const before = backendInfo().backend;
    setBackend('reference');
    expect(backendInfo()).toMatchObject({ backend: 'reference', isa: 'js' });
    setBackend(before);
    expect(() => setBackend('gpu' as 'native')).toThrow(TypeError);
    const t = getNumThreads();
    setNumThreads(1);
    expect(getNumThreads()).toBe(1);
    setNumThreads(t);
    expect(() => setNumThreads(0)).toThrow(RangeError);
    expect(() => setNumThreads(1.5)).toThrow(RangeError);
  });

  it('defaults to the best ISA and every core', () => {
    const r = run({});
    expect(r.status, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.backend).toBe('native');
    expect(info.isa).toBe(info.isas[0]);
    expect(r.stderr).toBe('');
  });

  it('SIMDGRAD_ISA forces each available ISA', () => {
    for (const isa of backendInfo().isas) {
      const r = run({ SIMDGRAD_ISA: isa });
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).isa).toBe(isa);
    }
  });

  it('an ISA that is not available is an error listing the available ones', () => {
    const r = run({ SIMDGRAD_ISA: 'neon-or-bogus' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('SIMDGRAD_ISA=neon-or-bogus is not available');
    expect(r.stderr).toContain(backendInfo().isas.join(', '));
  });

  it('SIMDGRAD_BACKEND=reference chooses the reference backend without a warning', () => {
    const r = run({ SIMDGRAD_BACKEND: 'reference' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ backend: 'reference', isa: 'js' });
    expect(r.stderr).toBe('');
  });

  it('an unknown SIMDGRAD_BACKEND is an error naming the choices', () => {
    const r = run({ SIMDGRAD_BACKEND: 'gpu' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('SIMDGRAD_BACKEND=gpu is unknown; available: native, reference');
  });

  it('SIMDGRAD_THREADS sets the pool size, and a bad value is an error', () => {
    const r = run({ SIMDGRAD_THREADS: '1' });
    expect(JSON.parse(r.stdout).threads).toBe(1);
    const bad = run({ SIMDGRAD_THREADS: 'many' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('SIMDGRAD_THREADS=many');
  });
});

// Packaging, end to end (DESIGN.md "Package and loading", TOOLCHAIN.md "Prebuilds, install script,
// packaging"): in a temporary directory, copy the package sources, build dist/ and a prebuild, `npm pack`,
// and install the tarball into fresh projects:
//   A  with the prebuild, scripts off: CJS and ESM consumers load the native backend from prebuilds/,
//      and a strict TypeScript consumer type-checks against the shipped .d.ts;
//   B  the same with prebuilds/ removed: the reference backend, one warning line, nativeError set;
//      then `npm rebuild simdgrad` (the warning's advice) compiles and the native backend loads;
//   C  a tarball without prebuilds, scripts on: the install script compiles the shipped C++ sources;
//   D  a tarball with broken C++ sources, scripts on: the install still exits 0, with a warning.
// Never touches the repository's build/, dist/ or prebuilds/: everything happens in the copy, whose
// node_modules is a symlink to the repository's (tsc, prebuildify and node-gyp are devDependencies).
// Needs the npm registry (or npm's cache) for the consumers' dependencies (node-gyp-build, node-addon-api).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(__dirname, '..');
const PLATFORM_DIR = `${process.platform}-${process.arch}`;
const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline'];
const INSTALL_WARNING = 'simdgrad: no prebuilt binary matched and compiling the native addon failed';
const LOAD_WARNING = 'simdgrad: native backend not loaded';

/**
 * The environment for child processes: the test's own, minus anything that would redirect npm (the
 * variables `npm test` exports about the repository's project) or change simdgrad's backend choice
 * (SIMDGRAD_*, which includes node-gyp-build's SIMDGRAD_PREBUILD). npm_config_nodedir stays: node-gyp
 * needs it to build offline (TOOLCHAIN.md); a spawned npm also reads it from the user npmrc.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' };
  const drop = /^(SIMDGRAD_|npm_package_|npm_lifecycle_|npm_config_(local_prefix|prefix|global|location|workspaces?|include_workspace_root|ignore_scripts|foreground_scripts|dry_run|omit|include|production|build_from_source)$)/i;
  for (const key of Object.keys(env)) if (drop.test(key)) delete env[key];
  delete env.INIT_CWD;
  delete env.NODE_OPTIONS;
  // Builds use every core (node-gyp reads JOBS): the copy compiles the addon up to three times.
  env.JOBS = String(os.availableParallelism());
  return env;
}

interface RunResult { status: number | null; stdout: string; stderr: string }

function describeRun(cmd: string, args: string[], cwd: string, r: RunResult & { signal?: NodeJS.Signals | null; error?: Error }): string {
  const tail = (s: string) => (s.length > 12000 ? `…${s.slice(-12000)}` : s);
  return [
    `$ ${cmd} ${args.join(' ')}   (in ${cwd})`,
    `exit status ${r.status}${r.signal ? `, signal ${r.signal}` : ''}${r.error ? `, error: ${r.error.message}` : ''}`,
    `--- stdout ---\n${tail(r.stdout)}`,
    `--- stderr ---\n${tail(r.stderr)}`,
  ].join('\n');
}

/** Runs a command; throws (printing its output) unless it exits 0, or returns the result when allowFail. */
function run(cmd: string, args: string[], cwd: string, opts: { timeout?: number; allowFail?: boolean } = {}): RunResult {
  const r = spawnSync(cmd, args, {
    cwd, env: childEnv(), encoding: 'utf8', timeout: opts.timeout ?? 120_000, maxBuffer: 64 << 20,
  });
  const res = { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', signal: r.signal, error: r.error };
  if (r.error || (r.status !== 0 && !opts.allowFail)) {
    const msg = describeRun(cmd, args, cwd, res);
    console.error(msg);
    throw new Error(`command failed:\n${msg}`);
  }
  return res;
}

/** Files of the package sources: git's view (tracked plus untracked-not-ignored) when there is a .git. */
function sourceFiles(): string[] {
  const git = fs.existsSync(path.join(REPO, '.git'))
    ? spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' })
    : null;
  if (git && git.status === 0) {
    return [...new Set(git.stdout.split('\0').filter(Boolean))]
      .filter((f) => !f.startsWith('node_modules/') && fs.existsSync(path.join(REPO, f)));
  }
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(REPO, rel);
    if (fs.statSync(abs).isDirectory()) for (const e of fs.readdirSync(abs)) walk(path.join(rel, e));
    else out.push(rel);
  };
  for (const f of ['package.json', 'package-lock.json', 'binding.gyp', 'tsconfig.json', 'lib', 'native', 'scripts']) {
    if (fs.existsSync(path.join(REPO, f))) walk(f);
  }
  return out;
}

function copyTree(files: string[], dest: string): void {
  for (const f of files) {
    fs.mkdirSync(path.join(dest, path.dirname(f)), { recursive: true });
    fs.copyFileSync(path.join(REPO, f), path.join(dest, f));
  }
}

/** `npm pack` of `dir` into a new directory `dest`; returns the tarball's path. */
function pack(dir: string, dest: string): string {
  fs.mkdirSync(dest, { recursive: true });
  const r = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest, ...NPM_FLAGS], dir);
  const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{ filename: string }>;
  const file = path.join(dest, json[0]!.filename);
  expect(fs.existsSync(file), `npm pack did not write ${file}`).toBe(true);
  return file;
}

function tarList(tarball: string): string[] {
  return run('tar', ['tzf', tarball], path.dirname(tarball)).stdout.split('\n').filter(Boolean);
}

/** ISAs this CPU can run (names as in SIMDGRAD_ISA). */
function hostIsas(): string[] {
  if (process.arch === 'arm64') return ['neon', 'scalar'];
  const isas = ['scalar'];
  let flags = '';
  try {
    flags = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1] ?? '';
  } catch { /* not Linux: only scalar is known for sure */ }
  const has = (f: string) => new RegExp(`\\b${f}\\b`).test(flags);
  if (has('avx2') && has('fma')) isas.push('avx2');
  if (has('avx512f')) isas.push('avx512');
  return isas;
}

/** A fresh consumer project with the tarball installed. */
function consumer(root: string, name: string, tarball: string, scripts: boolean): { dir: string; install: RunResult } {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  run('npm', ['init', '-y'], dir);
  // --foreground-scripts: npm (7+) otherwise swallows a dependency's install-script output when the
  // script exits 0, so the install script's warning would never reach the user (nor this test).
  const flags = scripts ? ['--foreground-scripts'] : ['--ignore-scripts'];
  const install = run('npm', ['install', ...flags, ...NPM_FLAGS, tarball], dir, { timeout: 300_000 });
  expect(fs.existsSync(path.join(dir, 'node_modules/simdgrad/package.json'))).toBe(true);
  return { dir, install };
}

// Printed by the consumer scripts: backendInfo(), the shared objects named simdgrad*.node that the process
// mapped (Linux), and a 2×2 sgemm through backends.reference and, when present, backends.native.
const PROBE_BODY = `
const maps = (() => { try { return require('node:fs').readFileSync('/proc/self/maps', 'utf8'); } catch { return ''; } })();
const loadedFiles = [...new Set(maps.split('\\n').map((l) => l.split(/\\s+/).slice(5).join(' ')).filter((f) => /simdgrad[^/]*\\.node$/.test(f)))];
const gemm = (be) => {
  if (!be) return null;
  const c = new Float32Array([10, 10, 10, 10]);
  be.sgemm(false, false, 2, 2, 2, 1, new Float32Array([1, 2, 3, 4]), 2, new Float32Array([5, 6, 7, 8]), 2, 0.5, c, 2);
  return Array.from(c);
};
console.log('PROBE ' + JSON.stringify({ info: s.backendInfo(), loadedFiles,
  reference: gemm(s.backends.reference), native: gemm(s.backends.native), hasDefault: typeof s.default }));
`;
const CJS_PROBE = `'use strict';\nconst s = require('simdgrad');\n${PROBE_BODY}`;
const ESM_PROBE = `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n` +
  `import * as s from 'simdgrad';\nimport { backendInfo } from 'simdgrad';\n` +
  `if (typeof backendInfo !== 'function') throw new Error('named ESM import of backendInfo failed');\n${PROBE_BODY}`;
const GEMM_EXPECTED = [24, 27, 48, 55]; // [1 2;3 4]·[5 6;7 8] + 0.5·10

interface Probe {
  info: { backend: string; isa: string; isas: string[]; threads: number; version: string; nativeError?: string };
  loadedFiles: string[];
  reference: number[];
  native: number[] | null;
  stderr: string;
}

function probe(dir: string, kind: 'cjs' | 'esm'): Probe {
  const r = kind === 'cjs'
    ? run(process.execPath, ['-e', CJS_PROBE], dir, { timeout: 60_000 })
    : (fs.writeFileSync(path.join(dir, 'probe.mjs'), ESM_PROBE), run(process.execPath, ['probe.mjs'], dir, { timeout: 60_000 }));
  const line = r.stdout.split('\n').find((l) => l.startsWith('PROBE '));
  if (!line) throw new Error(`no PROBE line:\n${describeRun(process.execPath, [kind], dir, r)}`);
  return { ...(JSON.parse(line.slice(6)) as Omit<Probe, 'stderr'>), stderr: r.stderr };
}

const stderrLines = (s: string) => s.split('\n').filter((l) => l.trim() !== '');

describe('packaging: npm pack + install into fresh projects', () => {
  let tmp = '';
  let src = '';
  let version = '';
  let tarFull = '';       // dist + prebuild
  let tarNoPrebuild = ''; // dist, no prebuilds/
  let tarBroken = '';     // dist, no prebuilds/, native/binding.cc does not compile
  let shippedNative: string[] = [];
  const timings: string[] = [];
  const timed = <T>(label: string, f: () => T): T => {
    const t0 = Date.now();
    try { return f(); } finally { timings.push(`${label} ${((Date.now() - t0) / 1000).toFixed(1)}s`); }
  };

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'simdgrad-packaging-'));
    src = path.join(tmp, 'src');
    const files = sourceFiles();
    copyTree(files, src);
    shippedNative = files.filter((f) => f.startsWith('native/'));
    version = (JSON.parse(fs.readFileSync(path.join(src, 'package.json'), 'utf8')) as { version: string }).version;
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(src, 'node_modules'), 'dir');
    for (const d of ['build', 'dist', 'prebuilds']) fs.rmSync(path.join(src, d), { recursive: true, force: true });

    timed('tsc', () => run('npx', ['--no-install', 'tsc', '-p', 'tsconfig.json'], src));
    tarNoPrebuild = timed('pack (no prebuilds)', () => pack(src, path.join(tmp, 'pack-noprebuild')));

    const bindingCc = path.join(src, 'native/binding.cc');
    const good = fs.readFileSync(bindingCc);
    fs.appendFileSync(bindingCc, '\nint simdgrad_packaging_test_broken = ;  // deliberate syntax error\n');
    tarBroken = timed('pack (broken)', () => pack(src, path.join(tmp, 'pack-broken')));
    fs.writeFileSync(bindingCc, good);

    timed('prebuildify', () => run('npm', ['run', 'prebuildify'], src, { timeout: 600_000 }));
    fs.rmSync(path.join(src, 'build'), { recursive: true, force: true });
    tarFull = timed('pack (prebuild)', () => pack(src, path.join(tmp, 'pack-full')));
  }, 900_000);

  afterAll(() => {
    console.log(`packaging timings: ${timings.join(', ')}`);
    if (!tmp) return;
    if (process.env.PACKAGING_TEST_KEEP_TMP) {
      console.log(`packaging: kept ${tmp}`);
      return;
    }
    // Unlink the node_modules symlink first, so nothing can ever follow it into the repository.
    try { fs.unlinkSync(path.join(src, 'node_modules')); } catch { /* not created */ }
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the tarball ships dist, the C++ sources, binding.gyp, the install script and the prebuild, not tests', () => {
    const entries = tarList(tarFull).map((e) => e.replace(/^package\//, ''));
    for (const f of ['package.json', 'dist/index.js', 'dist/index.d.ts', 'native/binding.cc', 'binding.gyp', 'scripts/install.js']) {
      expect(entries, f).toContain(f);
    }
    // Every source under native/ ships (headers and .inc files too), or a build from source fails.
    for (const f of shippedNative) expect(entries, f).toContain(f);
    const prebuilt = entries.filter((e) => e.startsWith(`prebuilds/${PLATFORM_DIR}/`) && e.endsWith('.node'));
    expect(prebuilt.length, `no prebuilds/${PLATFORM_DIR}/*.node in ${entries.join(', ')}`).toBeGreaterThan(0);
    for (const dir of ['test/', 'bench/', 'build/', 'node_modules/', '.ci/', 'examples/']) {
      expect(entries.filter((e) => e.startsWith(dir)), dir).toEqual([]);
    }
    expect(entries.filter((e) => e.endsWith('.tgz'))).toEqual([]);

    const bare = tarList(tarNoPrebuild).map((e) => e.replace(/^package\//, ''));
    expect(bare).toContain('dist/index.js');
    expect(bare.filter((e) => e.startsWith('prebuilds/'))).toEqual([]);
  }, 120_000);

  it('A: installed with --ignore-scripts, CJS and ESM consumers load the native backend from the prebuild', () => {
    const { dir } = timed('case A install', () => consumer(tmp, 'case-a', tarFull, false));
    const pkgDir = path.join(dir, 'node_modules/simdgrad');
    expect(fs.existsSync(path.join(pkgDir, 'build')), 'no build/ after --ignore-scripts').toBe(false);
    expect(fs.existsSync(path.join(pkgDir, 'prebuilds', PLATFORM_DIR))).toBe(true);
    const host = hostIsas();
    for (const kind of ['cjs', 'esm'] as const) {
      const p = probe(dir, kind);
      expect(p.stderr, `${kind}: stderr`).toBe('');
      expect(p.info.backend, kind).toBe('native');
      expect(p.info.nativeError, kind).toBeUndefined();
      expect(host, `${kind}: isa ${p.info.isa} not in host ${host.join(',')}`).toContain(p.info.isa);
      expect(p.info.isas, kind).toContain(p.info.isa);
      for (const isa of p.info.isas) expect(host, `${kind}: isas`).toContain(isa);
      expect(p.info.threads, kind).toBeGreaterThanOrEqual(1);
      expect(p.info.version, kind).toBe(version);
      expect(p.native, kind).toEqual(GEMM_EXPECTED);
      expect(p.reference, kind).toEqual(GEMM_EXPECTED);
      if (fs.existsSync('/proc/self/maps')) {
        expect(p.loadedFiles.map((f) => path.relative(pkgDir, fs.realpathSync(f))), kind)
          .toEqual([expect.stringMatching(new RegExp(`^prebuilds/${PLATFORM_DIR}/[^/]+\\.node$`))]);
      }
    }
    // The shipped types serve a strict TypeScript consumer (nodenext, skipLibCheck off).
    fs.writeFileSync(path.join(dir, 'consumer.mts'), [
      "import { backendInfo, backends, Tensor, type BackendInfo } from 'simdgrad';",
      'const info: BackendInfo = backendInfo();',
      "const name: 'native' | 'reference' = info.backend;",
      'console.log(name, backends.reference.name, typeof Tensor);',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true,
        skipLibCheck: false, types: ['node'], typeRoots: [path.join(REPO, 'node_modules/@types')] },
      files: ['consumer.mts'],
    }));
    run(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], dir);
  }, 300_000);

  it('B: without prebuilds/ and build/, loading falls back to reference with one warning; npm rebuild fixes it', () => {
    const { dir } = timed('case B install', () => consumer(tmp, 'case-b', tarFull, false));
    const pkgDir = path.join(dir, 'node_modules/simdgrad');
    fs.rmSync(path.join(pkgDir, 'prebuilds'), { recursive: true, force: true });
    expect(fs.existsSync(path.join(pkgDir, 'build'))).toBe(false);
    for (const kind of ['cjs', 'esm'] as const) {
      const p = probe(dir, kind);
      const lines = stderrLines(p.stderr);
      expect(lines, `${kind}: stderr`).toHaveLength(1);
      expect(lines[0]!.startsWith(LOAD_WARNING), `${kind}: ${lines[0]}`).toBe(true);
      expect(lines[0], kind).toMatch(/npm rebuild simdgrad/);
      expect(p.info.backend, kind).toBe('reference');
      expect(p.info.nativeError, kind).toEqual(expect.any(String));
      expect(p.info.nativeError!.length, kind).toBeGreaterThan(0);
      expect(p.info.isas, kind).toEqual([]);
      expect(p.info.threads, kind).toBe(1);
      expect(p.native, `${kind}: backends.native`).toBeNull();
      expect(p.reference, kind).toEqual(GEMM_EXPECTED);
      expect(p.loadedFiles, kind).toEqual([]);
    }
    // The warning's advice works: `npm rebuild simdgrad` runs the install script, which compiles.
    timed('case B npm rebuild (compiles)', () => run('npm', ['rebuild', 'simdgrad', '--foreground-scripts', ...NPM_FLAGS], dir, { timeout: 300_000 }));
    expect(fs.existsSync(path.join(pkgDir, 'build/Release/simdgrad.node')), 'build/Release/simdgrad.node').toBe(true);
    const after = probe(dir, 'cjs');
    expect(after.stderr).toBe('');
    expect(after.info.backend).toBe('native');
  }, 300_000);

  it('C: a tarball without prebuilds compiles from the shipped C++ sources at install', () => {
    const { dir } = timed('case C install (compiles)', () => consumer(tmp, 'case-c', tarNoPrebuild, true));
    const pkgDir = path.join(dir, 'node_modules/simdgrad');
    expect(fs.existsSync(path.join(pkgDir, 'build/Release/simdgrad.node')), 'build/Release/simdgrad.node').toBe(true);
    expect(fs.existsSync(path.join(pkgDir, 'prebuilds'))).toBe(false);
    const p = probe(dir, 'cjs');
    expect(p.stderr).toBe('');
    expect(p.info.backend).toBe('native');
    expect(p.native).toEqual(GEMM_EXPECTED);
    if (fs.existsSync('/proc/self/maps')) {
      expect(p.loadedFiles.map((f) => path.relative(pkgDir, fs.realpathSync(f)))).toEqual(['build/Release/simdgrad.node']);
    }
  }, 600_000);

  it('D: broken C++ sources never fail the install; loading falls back to reference with one warning', () => {
    const { dir, install } = timed('case D install (compile fails)', () => consumer(tmp, 'case-d', tarBroken, true));
    expect(install.status).toBe(0);
    expect(`${install.stdout}\n${install.stderr}`, 'the install script warning').toContain(INSTALL_WARNING);
    const pkgDir = path.join(dir, 'node_modules/simdgrad');
    expect(fs.existsSync(path.join(pkgDir, 'build/Release/simdgrad.node'))).toBe(false);
    const p = probe(dir, 'cjs');
    const lines = stderrLines(p.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(LOAD_WARNING), lines[0]).toBe(true);
    expect(p.info.backend).toBe('reference');
    expect(p.info.nativeError).toEqual(expect.any(String));
    expect(p.native).toBeNull();
    expect(p.reference).toEqual(GEMM_EXPECTED);
  }, 600_000);
});

// Shared helpers for the benchmark children (sgemm.mjs, elementwise.mjs) and the orchestrator (run.mjs).
// Children print one JSON object per line on stdout (emit) and progress on stderr, so run.mjs can
// collect results by parsing stdout alone.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

const now = () => performance.now() / 1e3; // seconds, sub-microsecond resolution

/**
 * Seconds per call of fn, one entry per sample.
 * Warm mode (no `before`): warm up for `warmup` seconds (JIT, page faults, thread-pool wake-up, caches),
 * then pick a repetition count so each sample lasts ≥ minTime (timer noise and call overhead become
 * negligible) and time `samples` batches.
 * Cold mode (`before` given, e.g. flushCaches): `before` runs untimed ahead of every call and each sample
 * is one call, because repeating the call inside a sample would make every call after the first warm.
 */
export function timeit(fn, { minTime = 0.05, samples = 5, warmup = 0.05, before = null } = {}) {
  const runs = [];
  if (before) {
    for (let i = 0; i < 2; i++) { before(); fn(); } // 2 warm-up calls: JIT and the pool's first wake-up
    for (let s = 0; s < samples; s++) {
      before();
      const t0 = now();
      fn();
      runs.push(now() - t0);
    }
    return runs;
  }
  let calls = 0;
  const w0 = now();
  do { fn(); calls++; } while (now() - w0 < warmup);
  // Calibrate on a fresh batch (warm-up calls include the slow first ones): double until ≥ minTime.
  let reps = 1;
  for (;;) {
    const t0 = now();
    for (let i = 0; i < reps; i++) fn();
    const t = now() - t0;
    if (t >= minTime) break;
    reps = t <= 0 ? reps * 2 : Math.max(reps + 1, Math.min(reps * 8, Math.ceil(reps * 1.2 * minTime / t)));
  }
  for (let s = 0; s < samples; s++) {
    const t0 = now();
    for (let i = 0; i < reps; i++) fn();
    runs.push((now() - t0) / reps);
  }
  return runs;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Rates from per-call seconds (work = FLOPs or bytes per call, scale = 1e9 for G): median, min, max, spread. */
export function summarize(secs, work, scale = 1e9) {
  const runs = secs.map((t) => work / t / scale);
  const med = median(runs);
  const r3 = (x) => Math.round(x * 1000) / 1000;
  return {
    median: r3(med), min: r3(Math.min(...runs)), max: r3(Math.max(...runs)),
    spread: r3((Math.max(...runs) - Math.min(...runs)) / med), // (max − min) / median
    runs: runs.map(r3),
  };
}

function cpuModel() {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch { /* not Linux */ }
  return os.cpus()[0]?.model ?? 'unknown';
}

function sysfs(path) {
  try { return readFileSync(path, 'utf8').trim(); } catch { return undefined; }
}

function git(args) {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch { return undefined; }
}

/**
 * What a result depends on: CPU, caches, ISA, threads, Node, commit (dirty: uncommitted changes were
 * built, so the commit alone does not name the code measured). `info` is backendInfo() of the caller.
 */
export function header(info, extra = {}) {
  const commit = git(['rev-parse', '--short', 'HEAD']) ?? 'nogit';
  const status = git(['status', '--porcelain', '--untracked-files=no']);
  return {
    bench: 'header',
    cpu: cpuModel(),
    cores: os.cpus().length,
    l2: sysfs('/sys/devices/system/cpu/cpu0/cache/index2/size'),
    l3: sysfs('/sys/devices/system/cpu/cpu0/cache/index3/size'),
    isa: info.isa, isas: info.isas, threads: info.threads, backend: info.backend,
    node: process.version, version: info.version,
    commit, dirty: status === undefined ? undefined : status !== '',
    date: new Date().toISOString(),
    ...extra,
  };
}

export function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

export function progress(msg) {
  process.stderr.write(msg + '\n');
}

/** Command-line flags of the form --name or --name=value. */
export function flags(argv = process.argv.slice(2)) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) continue;
    if (m[2] !== undefined) out[m[1]] = m[2];
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') && m[1] === 'only') out[m[1]] = argv[++i];
    else out[m[1]] = true;
  }
  return out;
}

// A 1 GiB buffer, allocated and faulted in once (the first touch of 1 GiB costs seconds of page faults).
let flushBuf = null;
let flushValue = 0;

/**
 * Evicts the caches before a memory-bound measurement. One plain store per 64-byte line of 1 GiB:
 * each store pulls its line into the cache (read-for-ownership), displacing everything else. Not
 * TypedArray.fill: for large sizes it may become a non-temporal memset that bypasses the cache and so
 * evicts nothing. The value changes every call so no store can be skipped as redundant.
 * The other core's private L2 (the thread pool's worker) is not flushed: ≤ 1 L2 of warm data remains.
 */
export function flushCaches() {
  if (flushBuf === null) flushBuf = new Float32Array(1 << 28);
  const b = flushBuf;
  const v = ++flushValue;
  for (let i = 0; i < b.length; i += 16) b[i] = v;
  return b[(v * 16) % b.length]; // keep the stores observable
}

/** Deterministic uniform floats in [lo, hi) (xorshift32), so every configuration sees the same data. */
export function randomArray(n, { lo = -1, hi = 1, seed = 1, type = Float32Array } = {}) {
  const out = new type(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = lo + (hi - lo) * (s / 4294967296);
  }
  return out;
}

export function maxAbs(a) {
  let m = 0;
  for (let i = 0; i < a.length; i++) { const v = Math.abs(a[i]); if (v > m) m = v; }
  return m;
}

/**
 * Throws unless |actual − expected| ≤ abs + rel·|expected| elementwise (NaN must meet NaN, ±Inf the same
 * ±Inf). tol is a number (absolute) or { abs, rel }. Called before timing: a fast wrong kernel must
 * abort the benchmark, not produce a figure. Returns the largest error seen, in units of the tolerance.
 */
export function checkClose(actual, expected, tol, label) {
  const abs = typeof tol === 'number' ? tol : (tol.abs ?? 0);
  const rel = typeof tol === 'number' ? 0 : (tol.rel ?? 0);
  if (actual.length !== expected.length) {
    throw new Error(`validation failed: ${label}: length ${actual.length} ≠ expected ${expected.length}`);
  }
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], e = expected[i];
    if (Number.isNaN(e) ? Number.isNaN(a) : !Number.isFinite(e) ? a === e : false) continue;
    const bound = abs + rel * Math.abs(e);
    const err = Math.abs(a - e);
    if (!(err <= bound)) { // also catches NaN in actual
      throw new Error(`validation failed: ${label}: [${i}] = ${a}, expected ${e} ` +
        `(error ${err.toExponential(3)} > tolerance ${bound.toExponential(3)})`);
    }
    if (bound > 0) worst = Math.max(worst, err / bound);
  }
  return worst;
}

/** Configuration column name: 'avx2·1t'. */
export const configName = (isa, threads) => `${isa}·${threads}t`;

/** Formats a table: rows are arrays of cells; numeric columns right-aligned. */
export function formatTable(head, rows) {
  const w = head.map((h, c) => Math.max(h.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (r) => r.map((x, c) => (c === 0 ? String(x ?? '').padEnd(w[c]) : String(x ?? '').padStart(w[c]))).join('  ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

/** A median with its spread, e.g. '123.4 ±3%' (± half of (max − min)/median); '' when absent. */
export function cell(r) {
  if (!r) return '';
  const digits = r.median >= 100 ? 0 : r.median >= 10 ? 1 : 2;
  return `${r.median.toFixed(digits)} ±${Math.round(r.spread * 50)}%`;
}

/** Top-level wrapper for a child: an error (e.g. failed validation) becomes an error line and exit code 1. */
export async function main(bench, body) {
  try {
    await body();
  } catch (err) {
    emit({ bench: 'error', family: bench, isa: process.env.SIMDGRAD_ISA, threads: process.env.SIMDGRAD_THREADS,
      message: String(err?.message ?? err) });
    progress(`${bench}: ${err?.stack ?? err}`);
    process.exitCode = 1;
  }
}

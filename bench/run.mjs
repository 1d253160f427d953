// The benchmark orchestrator (`npm run bench`). The native addon picks its ISA once per process
// (SIMDGRAD_ISA) and its pool size at load (SIMDGRAD_THREADS), so every (ISA, threads) configuration
// runs in its own child process: `node bench/<family>.mjs` with the environment set, JSON lines on its
// stdout. Children run one at a time (the machine has few cores; concurrent children would share them).
// Flags: --only sgemm|elementwise|norm, --big (sgemm 2048³), --quick (smoke test: fewer shapes and samples).
// Prints a header and one table per family; writes every JSON line to bench/results/<date>-<commit>.jsonl.
// Exit code 1 when any child failed (a validation against the reference, or a crash).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backendInfo } from 'simdgrad';
import { cell, configName, flags, formatTable, header } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const opt = flags();
const FAMILIES = ['sgemm', 'elementwise', 'norm'];
if (opt.only !== undefined && !FAMILIES.includes(opt.only)) {
  console.error(`--only must be one of ${FAMILIES.join(', ')}, got ${opt.only}`);
  process.exit(2);
}
const families = opt.only ? [opt.only] : FAMILIES;

/**
 * Each available ISA × {1, 2} threads, weakest first (the table's column order); scalar at 1 thread only
 * (it shows the SIMD gain; its threading adds nothing the SIMD configurations do not show).
 * Without a native binary, one configuration that measures the reference alone.
 */
function configs(isas) {
  if (isas.length === 0) return [{ isa: null, threads: 1 }];
  return [...isas].reverse().flatMap((isa) => (isa === 'scalar' ? [1] : [1, 2]).map((threads) => ({ isa, threads })));
}

/** Runs one child to completion; resolves to its parsed JSON lines and exit code. */
function runChild(family, config, withReference) {
  const args = [join(here, `${family}.mjs`)];
  if (withReference) args.push('--reference');
  if (opt.big) args.push('--big');
  if (opt.quick) args.push('--quick');
  const env = { ...process.env, SIMDGRAD_THREADS: String(config.threads) };
  delete env.SIMDGRAD_BACKEND; // the children address backends.native / backends.reference directly
  if (config.isa) env.SIMDGRAD_ISA = config.isa; else delete env.SIMDGRAD_ISA;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = [];
    let rest = '';
    const take = (text) => {
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        try { lines.push(JSON.parse(line)); } catch { process.stderr.write(`[${family}] ${line}\n`); }
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      const text = rest + chunk;
      const cut = text.lastIndexOf('\n');
      rest = text.slice(cut + 1);
      take(text.slice(0, cut + 1));
    });
    child.on('error', (err) => resolve({ lines, code: 1, error: String(err) }));
    child.on('close', (code, signal) => { take(rest); resolve({ lines, code: code ?? 1, signal }); });
  });
}

/** One table: rows in first-seen order, a column per configuration, and best native / reference. */
function table(results, key, cols) {
  const rows = new Map();
  for (const r of results) {
    if (!rows.has(key(r))) rows.set(key(r), new Map());
    rows.get(key(r)).set(r.backend === 'reference' ? 'reference' : configName(r.isa, r.threads), r);
  }
  const head = ['', 'reference', ...cols, 'best/ref'];
  const body = [...rows].map(([k, byCol]) => {
    const ref = byCol.get('reference');
    const best = Math.max(0, ...cols.map((c) => byCol.get(c)?.median ?? 0));
    const ratio = ref && best > 0 ? `×${(best / ref.median).toFixed(best / ref.median >= 10 ? 0 : 1)}` : '';
    return [k, cell(ref), ...cols.map((c) => cell(byCol.get(c))), ratio];
  });
  return formatTable(head, body);
}

const info = backendInfo();
const cfgs = configs(info.isas);
const head = header(info, {
  role: 'run', families, configs: cfgs.map((c) => (c.isa ? configName(c.isa, c.threads) : 'reference only')),
  quick: Boolean(opt.quick), big: Boolean(opt.big),
});
if (info.isas.length === 0) console.error(`native backend not loaded (${info.nativeError}): measuring the reference alone`);

const all = [head];
const failures = [];
for (const family of families) {
  for (let i = 0; i < cfgs.length; i++) {
    const cfg = cfgs[i];
    const name = cfg.isa ? configName(cfg.isa, cfg.threads) : 'reference';
    console.error(`== ${family} ${name}${i === 0 ? ' (+ reference)' : ''}`);
    // The reference is single-threaded JS and ignores SIMDGRAD_ISA: measured once, in the first child.
    const { lines, code, signal, error } = await runChild(family, cfg, i === 0);
    all.push(...lines);
    for (const l of lines) if (l.bench === 'error') failures.push(`${family} ${name}: ${l.message}`);
    if (code !== 0 && !lines.some((l) => l.bench === 'error')) {
      failures.push(`${family} ${name}: child exited with ${signal ?? code}${error ? ` (${error})` : ''}`);
    }
  }
}

const cols = cfgs.filter((c) => c.isa).map((c) => configName(c.isa, c.threads));
const out = [];
out.push(`simdgrad ${head.version} @ ${head.commit}${head.dirty ? ' (uncommitted changes)' : ''}, ${head.date}`);
out.push(`CPU: ${head.cpu}, ${head.cores} cores, L2 ${head.l2 ?? '?'}, L3 ${head.l3 ?? '?'}; ISAs: ${info.isas.join(', ') || 'none'}; Node ${head.node}`);
out.push('Cells: median ±half the (max − min) spread over the samples. Compare within this run only.');
const sg = all.filter((r) => r.bench === 'sgemm');
if (sg.length) {
  out.push('', 'sgemm, GFLOP/s (2mnk / time):');
  out.push(table(sg, (r) => r.shape, cols));
}
const ew = all.filter((r) => r.bench === 'elementwise');
if (ew.length) {
  out.push('', 'elementwise, GB/s (bytes read + written / time; cold = caches flushed before each call):');
  out.push(table(ew, (r) => `${r.kernel} ${r.size} ${r.cache}`, cols));
}
const nm = all.filter((r) => r.bench === 'norm');
if (nm.length) {
  out.push('', 'norm, GB/s (3 × matrix bytes / time, cold; compare with STREAM triad: bench/norm_anchors.mjs):');
  out.push(table(nm, (r) => `${r.kernel} ${r.shape}`, cols));
}
console.log(out.join('\n'));

const stamp = head.date.slice(0, 19).replace(/:/g, '-');
const file = join(here, 'results', `${stamp}-${head.commit}.jsonl`);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, all.map((l) => JSON.stringify(l)).join('\n') + '\n');
console.log(`\nJSON lines: ${relative(process.cwd(), file)}`);

if (failures.length) {
  console.error(`\n${failures.length} failure(s):\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
}

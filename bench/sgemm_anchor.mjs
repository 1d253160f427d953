// sgemm beside OpenBLAS (numpy) and PyTorch on this machine, interleaved round by round so clock and
// neighbour noise hit both alike: each round runs `run.sh peak`, `run.sh sgemm` and simdgrad (best ISA
// and threads 1 and 2, in child processes) on the anchors' own shape list; the table reports the
// median over rounds of each round's median, and the ratio native / OpenBLAS.
// Usage: node bench/sgemm_anchor.mjs [--rounds=5] [--isa=avx512]. Needs `bash ../shared/anchors/run.sh
// setup` once per machine. Each native case is validated against the float64 reference first.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backendInfo, backends } from 'simdgrad';
import { flags, header, median, summarize, timeit } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const anchors = join(here, '..', '..', 'shared', 'anchors', 'run.sh');
const opt = flags();

// The anchors' shapes (shared/anchors/py/common.py): name, M, K, N, A stored transposed, B stored transposed.
const SHAPES = [
  ...[64, 128, 256, 512, 1024, 2048].map((n) => [`sq${n}`, n, n, n, false, false]),
  ['fwd1 X.W1', 128, 784, 256, false, false], ['fwd2 H1.W2', 128, 256, 128, false, false],
  ['fwd3 H2.W3', 128, 128, 10, false, false], ['dW1 X^T.dH1', 784, 128, 256, true, false],
  ['dW2 H1^T.dH2', 256, 128, 128, true, false], ['dW3 H2^T.dY', 128, 128, 10, true, false],
  ['dH2 dY.W3^T', 128, 10, 128, false, true], ['dH1 dH2.W2^T', 128, 128, 256, false, true],
];

/** Child mode: time every shape on the native backend of this process; one JSON line per shape. */
function child() {
  const be = backends.native;
  const info = backendInfo();
  for (const [shape, m, k, n, ta, tb] of SHAPES) {
    const a = new Float32Array(m * k).map(() => Math.random()), b = new Float32Array(k * n).map(() => Math.random());
    const c = new Float32Array(m * n);
    const lda = ta ? m : k, ldb = tb ? k : n;
    be.sgemm(ta, tb, m, n, k, 1, a, lda, b, ldb, 0, c, n);
    // validate 16 sampled entries against a float64 dot product before timing
    for (let s = 0; s < 16; s++) {
      const i = (s * 7919) % m, j = (s * 104729) % n;
      let ref = 0;
      for (let p = 0; p < k; p++) ref += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
      if (Math.abs(c[i * n + j] - ref) > 4 * k * 2 ** -23 * Math.abs(ref) + 1e-6) {
        throw new Error(`${shape}: C[${i},${j}] = ${c[i * n + j]}, expected ${ref}`);
      }
    }
    const secs = timeit(() => be.sgemm(ta, tb, m, n, k, 1, a, lda, b, ldb, 0, c, n), { samples: 7 });
    const s = summarize(secs, 2 * m * n * k);
    console.log(JSON.stringify({ bench: 'sgemm', lib: `simdgrad ${info.isa}`, shape, threads: info.threads, median: s.median }));
  }
}

function runJsonLines(cmd, args, env) {
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

function parent() {
  const rounds = Number(opt.rounds ?? 5);
  const isa = opt.isa ?? backendInfo().isa;
  const all = []; // every line, every round
  for (let r = 1; r <= rounds; r++) {
    process.stderr.write(`round ${r}/${rounds}: peak, anchors, simdgrad\n`);
    for (const line of runJsonLines('bash', [anchors, 'peak'])) all.push({ ...line, round: r, value: median(line.runs) });
    for (const line of runJsonLines('bash', [anchors, 'sgemm'])) all.push({ ...line, round: r, value: median(line.runs) });
    for (const threads of [1, 2]) {
      const env = { SIMDGRAD_ISA: isa, SIMDGRAD_THREADS: String(threads), SIMDGRAD_BACKEND: 'native' };
      for (const line of runJsonLines(process.execPath, [fileURLToPath(import.meta.url), '--child'], env)) {
        all.push({ ...line, round: r, value: line.median });
      }
    }
  }
  const med = (pred) => {
    const v = all.filter(pred).map((l) => l.value);
    return v.length ? median(v) : NaN;
  };
  const peak = (t) => med((l) => l.bench === 'avx512_fma_gflops' && l.threads === t);
  const f = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
  const rows = [];
  console.log(`\n${JSON.stringify(header(backendInfo(), { rounds, isa }))}`);
  console.log(`\nsgemm GFLOP/s, median of ${rounds} interleaved rounds; FMA peak (AVX-512): 1t ${f(peak(1))}, 2t ${f(peak(2))}`);
  console.log('shape          | OpenBLAS 1t | simdgrad 1t | ratio | OpenBLAS 2t | simdgrad 2t | ratio | torch 1t | torch 2t | % peak 1t');
  for (const [shape] of SHAPES) {
    const ob = (t) => med((l) => l.bench === 'sgemm' && /^numpy/.test(l.lib) && l.shape === shape && l.threads === t);
    const th = (t) => med((l) => l.bench === 'sgemm' && /^torch/.test(l.lib) && l.shape === shape && l.threads === t);
    const sg = (t) => med((l) => /^simdgrad/.test(l.lib) && l.shape === shape && l.threads === t);
    const row = { shape, ob1: ob(1), sg1: sg(1), ob2: ob(2), sg2: sg(2), th1: th(1), th2: th(2) };
    rows.push(row);
    console.log(`${shape.padEnd(14)} | ${f(row.ob1).padStart(11)} | ${f(row.sg1).padStart(11)} | ${(row.sg1 / row.ob1).toFixed(2).padStart(5)} | ` +
      `${f(row.ob2).padStart(11)} | ${f(row.sg2).padStart(11)} | ${(row.sg2 / row.ob2).toFixed(2).padStart(5)} | ` +
      `${f(row.th1).padStart(8)} | ${f(row.th2).padStart(8)} | ${(100 * row.sg1 / peak(1)).toFixed(0).padStart(8)}%`);
  }
  mkdirSync(join(here, 'results'), { recursive: true });
  const file = join(here, 'results', `sgemm-anchor-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
  writeFileSync(file, [header(backendInfo(), { rounds, isa }), ...all].map((l) => JSON.stringify(l)).join('\n') + '\n');
  console.log(`\nall samples: ${file}`);
}

if (opt.child) child(); else parent();

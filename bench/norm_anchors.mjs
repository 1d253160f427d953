// Compares the norm benchmark with the anchors measured in the same session: simdgrad's StandardScaler
// fit + transform (GB/s = 3 × matrix bytes / time, cold) against STREAM triad at the same thread count,
// and PyTorch std_mean + sub/div, numpy and scikit-learn z-scores (anchors' times converted to the same
// 3 × bytes metric; the anchors run warm, which flatters them).
// Usage: node bench/norm_anchors.mjs bench/results/<run>.jsonl anchors-1.jsonl [anchors-2.jsonl ...]
import { readFileSync } from 'node:fs';
import { formatTable, median } from './harness.mjs';

const [ours, ...anchorFiles] = process.argv.slice(2);
if (!ours || anchorFiles.length === 0) {
  console.error('usage: node bench/norm_anchors.mjs <norm results.jsonl> <anchors.jsonl> [more anchors.jsonl]');
  process.exit(2);
}
const read = (f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
const mine = read(ours).filter((r) => r.bench === 'norm' && r.backend === 'native');
const anchors = anchorFiles.flatMap(read);

/** Median over every sample of every matching anchor line (several files: the machine's drift shows in the spread). */
function triad(threads) {
  const runs = anchors.filter((a) => a.bench === 'stream_triad_GBps' && a.threads === threads).flatMap((a) => a.runs);
  return runs.length ? { med: median(runs), lo: Math.min(...runs), hi: Math.max(...runs) } : null;
}

/** An anchor z-score in GB/s of 3 × matrix bytes (its runs are milliseconds). */
function zscore(prefix, shape, threads) {
  const [rows, cols] = shape.split('x').map(Number);
  const runs = anchors.filter((a) => a.bench === 'zscore' && a.lib.startsWith(prefix) && a.shape === shape && a.threads === threads)
    .flatMap((a) => a.runs);
  return runs.length ? (3 * rows * cols * 4) / (median(runs) * 1e-3) / 1e9 : null;
}

const f1 = (x) => (x === null ? '–' : x.toFixed(1));
const rows = [];
for (const kernel of ['StandardScaler fit+transform', 'colMeanVar + colAffine']) {
  for (const shape of [...new Set(mine.map((r) => r.shape))]) {
    for (const threads of [1, 2]) {
      const cands = mine.filter((r) => r.kernel === kernel && r.shape === shape && r.threads === threads);
      if (!cands.length) continue;
      const best = cands.reduce((a, b) => (b.median > a.median ? b : a));
      const t = triad(threads);
      const torch = zscore('torch', shape, threads), np = zscore('numpy', shape, threads), sk = zscore('sklearn', shape, threads);
      rows.push([kernel, shape, `${threads}`, `${best.isa}`, `${best.median.toFixed(1)} ±${Math.round(best.spread * 50)}%`,
        t ? `${t.med.toFixed(1)} (${t.lo.toFixed(1)}–${t.hi.toFixed(1)})` : '–', t ? `${Math.round((100 * best.median) / t.med)}%` : '–',
        f1(torch), f1(np), f1(sk)]);
    }
  }
}
console.log('GB/s = 3 × matrix bytes / time. simdgrad cold (1 GiB written before each call); anchors warm.');
console.log(formatTable(['case', 'shape', 'thr', 'isa', 'simdgrad', 'STREAM triad', 'of triad', 'torch', 'numpy', 'sklearn'], rows));

// One training epoch of the MLP 784 → 256 → 128 → 10 (ReLU, softmax cross-entropy on logits, Adam 1e-3,
// batch 128, no shuffling) over 60,000 synthetic samples (uniform [0, 1) pixels, random labels), as
// ../shared/anchors/py/mlp.py does for PyTorch: native at 1 and 2 threads vs the reference backend, and
// (unless --no-anchor) PyTorch's figures from `bash ../shared/anchors/run.sh mlp` in the same run.
// The reference backend is too slow for a whole epoch: it trains the first --ref-batches batches and the
// epoch time is extrapolated (×469/batches), which the table says. Before timing, the native and reference
// losses of those batches are compared (1e-4 relative). Usage (2 shared cores: take the lock):
//   flock /tmp/simdgrad-bench.lock node bench/mlp.mjs [--runs 3] [--ref-batches 12] [--no-anchor]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Adam, Dense, Rng, Sequential, SparseCategoricalCrossentropy, backendInfo, backends, setBackend, setNumThreads,
} from 'simdgrad';
import { emit, flags, formatTable, header, median, progress } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const opt = flags();
const RUNS = Number(opt.runs ?? 3), REF_BATCHES = Number(opt['ref-batches'] ?? 12);
const N = 60000, BATCH = 128, STEPS = Math.ceil(N / BATCH);

const rng = new Rng(0);
const x = rng.fillUniform(new Float32Array(N * 784), 0, 1);
const y = Int32Array.from({ length: N }, () => rng.int(10));

function model() {
  const m = new Sequential([
    new Dense(256, { inputShape: [784], activation: 'relu' }), new Dense(128, { activation: 'relu' }), new Dense(10),
  ], { seed: 1 });
  m.compile({ optimizer: new Adam(m.parameters(), { lr: 1e-3 }), loss: new SparseCategoricalCrossentropy({ fromLogits: true }) });
  return m;
}

/** Seconds of one fit over the first `batches` batches (whole epoch by default), after the model's own warm-up. */
async function timeEpoch(m, batches = STEPS) {
  const n = Math.min(N, batches * BATCH);
  const t0 = performance.now();
  const h = await m.fit(x.subarray(0, n * 784), y.subarray(0, n), { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
  return { seconds: (performance.now() - t0) / 1000, loss: h.history.loss[0] };
}

const info = backendInfo();
emit(header(info, { bench: 'header', family: 'mlp' }));
const rows = [];
if (!backends.native) throw new Error(`native backend not loaded: ${info.nativeError}`);

// Validation: the first REF_BATCHES batches on both backends, from the same seed.
setBackend('reference');
const ref = await timeEpoch(model(), REF_BATCHES);
setBackend('native');
const nat = await timeEpoch(model(), REF_BATCHES);
const rel = Math.abs(nat.loss - ref.loss) / Math.abs(ref.loss);
progress(`validation: mean loss over ${REF_BATCHES} batches native ${nat.loss} vs reference ${ref.loss} (rel ${rel.toExponential(2)})`);
if (!(rel < 1e-4)) throw new Error(`native and reference losses differ by ${rel} (> 1e-4)`);
const refEpoch = ref.seconds * STEPS / REF_BATCHES;
emit({ bench: 'mlp_epoch', lib: 'simdgrad reference (extrapolated)', threads: 1, unit: 's/epoch', samples: N, runs: [refEpoch], measuredBatches: REF_BATCHES });
rows.push([`simdgrad reference (JS), ${REF_BATCHES} batches ×${(STEPS / REF_BATCHES).toFixed(1)}`, 1, refEpoch]);

for (const threads of [1, 2]) {
  setNumThreads(threads);
  const m = model();
  await timeEpoch(m, 20); // warm-up: 20 batches, as the PyTorch anchor
  const runs = [];
  for (let r = 0; r < RUNS; r++) runs.push((await timeEpoch(m)).seconds);
  emit({ bench: 'mlp_epoch', lib: `simdgrad native ${info.isa}`, threads, unit: 's/epoch', samples: N, runs });
  progress(`native ${info.isa} ${threads} thread(s): ${runs.map((s) => s.toFixed(3)).join(', ')} s/epoch`);
  rows.push([`simdgrad native (${info.isa})`, threads, median(runs)]);
}

const anchor = join(here, '..', '..', 'shared', 'anchors', 'run.sh');
if (!opt['no-anchor'] && existsSync(anchor)) {
  progress('PyTorch anchor: bash ../shared/anchors/run.sh mlp');
  const r = spawnSync('bash', [anchor, 'mlp'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  for (const line of r.stdout.split('\n').filter((l) => l.startsWith('{'))) {
    const o = JSON.parse(line);
    if (o.bench !== 'mlp_epoch') continue;
    emit(o);
    rows.push([o.lib, o.threads, median(o.runs)]);
  }
}

const best = (re, t) => Math.min(...rows.filter((r) => re.test(r[0]) && r[1] === t).map((r) => r[2]));
console.log(formatTable(['implementation', 'threads', 's/epoch', 'samples/s'],
  rows.map(([name, t, s]) => [name, t, s.toFixed(3), Math.round(N / s).toLocaleString('en-US')])));
for (const t of [1, 2]) {
  const torch = best(/flush_denormal/, t), ours = best(/native/, t);
  if (Number.isFinite(torch)) console.log(`${t} thread(s): PyTorch best (flushed denormals) / simdgrad native = ${(torch / ours).toFixed(2)}×`);
}

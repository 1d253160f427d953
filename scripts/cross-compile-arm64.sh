#!/usr/bin/env bash
# Compiles every native source except the Node-API bindings for arm64 with Debian's cross-compiler
# (g++-aarch64-linux-gnu), so the NEON kernels and the arm64 paths (FPCR, dispatch) keep building.
# Running them (under qemu) is the reliability issue's job. Usage: bash scripts/cross-compile-arm64.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CXX=${CXX_ARM64:-aarch64-linux-gnu-g++}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
n=0
for src in $(ls native/*.cc native/*/*.cc | grep -v binding); do
  "$CXX" -O3 -std=gnu++17 -Wall -Wextra -Wno-unused-parameter -Werror -fPIC -c "$src" -o "$out/$(echo "$src" | tr / _).o"
  n=$((n + 1))
done
echo "arm64: compiled $n native sources with $("$CXX" --version | head -1)"

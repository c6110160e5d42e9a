#!/usr/bin/env bash
# Puts Deno in out/deno/deno for the start-up comparison of `make bench` (bench/serve_timing.sh):
# the npm registry's @deno/linux-x64-glibc package at a pinned version, so that every run
# compares against the same Deno. Idempotent; needs npm.
# Usage: tools/install_deno.sh [VERSION]
set -euo pipefail
version="${1:-2.9.6}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/out/deno"
if [ -x "$dest/deno" ] && "$dest/deno" --version | grep -q "^deno $version "; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "install_deno: npm is missing (apt-get install npm): startup_vs_deno needs it" >&2
  exit 1
fi
mkdir -p "$dest"
cd "$dest"
npm pack --silent "@deno/linux-x64-glibc@$version" >/dev/null
tar xzf "deno-linux-x64-glibc-$version.tgz" package/deno
mv package/deno deno
rm -rf package "deno-linux-x64-glibc-$version.tgz"
"$dest/deno" --version | head -1

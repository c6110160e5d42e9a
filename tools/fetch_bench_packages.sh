#!/bin/sh
# Fetches the pinned npm packages whose snapshots `make bench` times (bench/library_bench.sh):
# `npm pack NAME@VERSION` into out/npm-cache (shared with tools/fetch_npm_fixtures.sh and kept:
# later runs need no network), unpacked into OUT_DIR/npm-bench/node_modules/NAME.
# Usage: tools/fetch_bench_packages.sh [OUT_DIR]   (default: out)
# Prints the folder holding node_modules on stdout.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/out}"
cache="$out/npm-cache"
modules="$out/npm-bench/node_modules"
# A large CommonJS library (typescript), a UMD build (lodash, acorn), a CommonJS build next to
# its ES module (preact, marked).
packages="typescript@5.9.3 lodash@4.17.21 preact@10.24.3 marked@12.0.2 acorn@8.14.0"
mkdir -p "$cache" "$modules"
for spec in $packages; do
  name="${spec%@*}"
  version="${spec##*@}"
  tarball="$cache/$name-$version.tgz"
  if [ ! -f "$tarball" ]; then
    command -v npm >/dev/null || {
      echo "fetch_bench_packages: npm is needed to fetch $spec (tools/install_deps.sh --bench)" >&2
      exit 1
    }
    (cd "$cache" && npm pack --silent "$spec" >/dev/null) || {
      echo "fetch_bench_packages: 'npm pack $spec' failed: the npm registry must be reachable" \
           "once; the package is cached in $cache afterwards" >&2
      exit 1
    }
  fi
  stamp="$modules/$name/.v8snap-$version"
  if [ ! -f "$stamp" ]; then
    rm -rf "$modules/$name"
    mkdir -p "$modules/$name"
    tar xzf "$tarball" -C "$modules/$name" --strip-components=1
    touch "$stamp"
  fi
done
echo "$out/npm-bench"

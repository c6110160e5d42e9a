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
. "$root/tools/npm_packages.sh"
# shellcheck disable=SC2086  # one word per package
fetch_npm_packages fetch_bench_packages "$cache" "$modules" $packages
echo "$out/npm-bench"

#!/bin/sh
# Fetches the pinned npm packages the library tests snapshot (tests/library_snapshot_test.cc):
# `npm pack NAME@VERSION` into out/npm-cache (kept: later runs need no network), unpacked into
# out/npm/node_modules/NAME, where node resolves them too, so its output can be compared.
# Usage: tools/fetch_npm_fixtures.sh [OUT_DIR]   (default: out)
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/out}"
cache="$out/npm-cache"
modules="$out/npm/node_modules"
# One UMD build (lodash), and a package importing another by its bare name
# (preact-render-to-string's ES module imports "preact").
packages="lodash@4.17.21 preact@10.24.3 preact-render-to-string@6.5.11"
. "$root/tools/npm_packages.sh"
# shellcheck disable=SC2086  # one word per package
fetch_npm_packages fetch_npm_fixtures "$cache" "$modules" $packages

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
mkdir -p "$cache" "$modules"
for spec in $packages; do
  name="${spec%@*}"
  version="${spec##*@}"
  tarball="$cache/$name-$version.tgz"
  if [ ! -f "$tarball" ]; then
    command -v npm >/dev/null || {
      echo "fetch_npm_fixtures: npm is needed to fetch $spec (apt-get install npm)" >&2
      exit 1
    }
    (cd "$cache" && npm pack --silent "$spec" >/dev/null) || {
      echo "fetch_npm_fixtures: 'npm pack $spec' failed: the npm registry must be reachable" \
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

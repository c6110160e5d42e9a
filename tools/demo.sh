#!/usr/bin/env bash
# `make demo`: build a snapshot from the default manifest, inspect it, run a script on it.
set -euo pipefail
out="${1:-out/release}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold="" plain=""; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }

step "snapshot_builder --manifest manifests/default.textproto --out $out/demo.bin --verbose --size-report"
"$out/snapshot_builder" --manifest manifests/default.textproto --out "$out/demo.bin" --verbose --size-report 2>&1

if [ -x "$out/snapshot_inspect" ]; then
  step "snapshot_inspect info $out/demo.bin --only build,sections,extensions,modules"
  "$out/snapshot_inspect" info "$out/demo.bin" --only build,sections,extensions,modules
else
  step "ls -l $out/demo.bin*"
  ls -l "$out/demo.bin" "$out/demo.bin.sidecar.pb"
fi

step "snapshot_run --snapshot $out/demo.bin --allow-read=examples examples/hello.js"
"$out/snapshot_run" --snapshot "$out/demo.bin" --allow-read=examples examples/hello.js

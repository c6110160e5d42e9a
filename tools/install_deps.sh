#!/usr/bin/env bash
# Installs everything v8snap needs to build and test; a no-op when all is already there.
#
# V8 comes from Debian's libnode108 + libnode-dev (Node 18's V8 10.2). Those packages conflict
# with a nodesource `nodejs`, so they are not installed: they are fetched with `apt-get download`
# and unpacked with `dpkg -x` into third_party/v8/ (ignored by git); the tools link to
# libnode.so.108 there through an rpath. Their runtime libraries are ordinary apt packages.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
v8_dir="$root/third_party/v8"

apt_packages=(
  # build tools
  generate-ninja ninja-build pkg-config g++ protobuf-compiler
  # libraries linked by v8snap
  libabsl-dev libprotobuf-dev libcli11-dev libxxhash-dev libuv1-dev
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  # libnode108's own runtime dependencies
  libuv1 libicu72 libssl3 libc-ares2 libnghttp2-14 libbrotli1 zlib1g
)

# `install_deps.sh --test`: also what only the tests need: make test renders `snapshot_inspect
# report`'s page in a real browser, headless (tests/html_report_test.cc); make demo and make
# build do without it.
# The tests also compare what JS prints with node's output (a `node` already on PATH is used,
# else Debian's nodejs), fetch their pinned npm packages with npm, and build the CMake example.
if [ "${1:-}" = "--test" ]; then
  apt_packages+=(chromium cmake)
  command -v node >/dev/null 2>&1 || apt_packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || apt_packages+=(npm)
fi

# `install_deps.sh --fuzz`: also clang and its sanitizer/libFuzzer runtimes (make fuzz only).
if [ "${1:-}" = "--fuzz" ]; then
  apt_packages+=(clang-14 libclang-rt-14-dev)
fi

# `install_deps.sh --bench`: also what make bench times against: python3 runs its scripts, and
# Node (`node --build-snapshot`, builder_vs_node and the library snapshots) comes from Debian's
# nodejs unless a `node` is already on PATH (a nodesource nodejs conflicts with Debian's
# libnode108); npm fetches Deno and the pinned library packages (end of this script).
if [ "${1:-}" = "--bench" ]; then
  apt_packages+=(python3)
  command -v node >/dev/null 2>&1 || apt_packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || apt_packages+=(npm)
fi

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

updated=0
apt_update_once() {
  if [ "$updated" -eq 0 ]; then
    "${sudo_cmd[@]}" apt-get update -qq
    updated=1
  fi
}

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install_deps: installing ${missing[*]}"
  apt_update_once
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

if [ ! -f "$v8_dir/.complete" ]; then
  echo "install_deps: fetching V8 (libnode108, libnode-dev) into third_party/v8"
  apt_update_once
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && apt-get download -qq libnode108 libnode-dev)
  rm -rf "$v8_dir"
  mkdir -p "$v8_dir"
  for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$v8_dir"; done
  # libnode-dev ships libnode.so as a link to the versioned library; keep both names working.
  lib="$v8_dir/usr/lib/x86_64-linux-gnu"
  [ -e "$lib/libnode.so" ] || ln -s libnode.so.108 "$lib/libnode.so"
  touch "$v8_dir/.complete"
fi

# libnode's calls to its own functions are bound once, in this copy, instead of by the dynamic
# loader at every start (tools/bind_libnode_calls.py; docs/performance.md, "The direct-start
# floor": a direct snapshot_run starts in about 0.75x the time). Only third_party/v8's copy is
# rewritten, never a file of the system; the marker makes it once per unpacked copy. The file
# as Debian ships it stays in third_party/v8/debian-libnode/ (a hard link: the rewrite is a new
# file), for make bench to compare with.
if [ ! -f "$v8_dir/.calls-bound" ]; then
  lib="$v8_dir/usr/lib/x86_64-linux-gnu"
  mkdir -p "$v8_dir/debian-libnode"
  [ -e "$v8_dir/debian-libnode/libnode.so.108" ] ||
    ln "$lib/libnode.so.108" "$v8_dir/debian-libnode/libnode.so.108"
  python3 "$root/tools/bind_libnode_calls.py" "$lib/libnode.so.108"
  touch "$v8_dir/.calls-bound"
fi

# `--bench`, last: Deno (bench/serve_timing.sh, bench/library_bench.sh) and the pinned npm
# packages whose snapshots make bench times, both cached under out/ by npm. Without the npm
# registry the bench runs on and leaves those figures out.
if [ "${1:-}" = "--bench" ]; then
  bash "$root/tools/install_deno.sh" >/dev/null ||
    echo "install_deps: Deno could not be fetched: make bench leaves the Deno figures out" >&2
  sh "$root/tools/fetch_bench_packages.sh" >/dev/null ||
    echo "install_deps: the bench's npm packages could not be fetched: make bench leaves the" \
         "real-library figures out" >&2
fi

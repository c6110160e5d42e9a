#!/usr/bin/env bash
# Usage: tools/sid_root.sh [--test]
# Makes (or brings up to date) third_party/sid-root: a Debian unstable root with V8 13.6
# (libnode137 + libnode-dev 24.x, which ships v8-fast-api-calls.h) and unstable's own compiler
# and libraries, for building and testing v8snap against V8 13.6 beside the host's V8 10.2.
#
# libnode137 needs unstable's glibc, so it cannot be unpacked next to Debian 12's libraries as
# V8 10.2 is (tools/install_deps.sh): it lives in a root of its own, made with debootstrap.
#
# The Debian mirror is the one this machine's apt already uses (read from its sources at run
# time, never written here). That mirror serves unstable as a dated snapshot whose Release file
# may have expired, so apt in the root runs with Check-Valid-Until off, which also keeps the
# root the same from day to day.
#
# Exit codes: 0 ready; 3 unstable's packages could not be fetched or installed (one line
# "SKIPPED: ..." names the package or step: unstable sometimes has an uninstallable package),
# so callers can skip the V8 13.6 suite instead of failing; 1 anything else.
set -euo pipefail

root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sid="$root_dir/third_party/sid-root"

packages=(
  g++ pkg-config python3 generate-ninja ninja-build protobuf-compiler
  libnode-dev libabsl-dev libprotobuf-dev libcli11-dev libxxhash-dev libuv1-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # what the tests compare with and drive: node (unstable's, Node 24), cmake (the CMake
  # example) and make (examples/embedder's Makefile), as the host's suite does
  nodejs cmake make
)
# V8SNAP_SID_EXTRA_PACKAGES: more packages to install (make test-v8-13 names one that does not
# exist, to check that the SKIPPED path works).
# shellcheck disable=SC2206  # one word per package
packages+=(${V8SNAP_SID_EXTRA_PACKAGES:-})
# `sid_root.sh --test`: also chromium, which renders snapshot_inspect report's page in the tests.
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium)
fi

skip() {
  echo "SKIPPED: V8 13.6 suite: $*"
  exit 3
}

# The first Debian archive (not the security one) in the machine's apt sources.
debian_mirror() {
  local uri
  uri=$(grep -hE '^\s*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null |
    awk '{print $2}' | grep -E '/debian/?$' | head -1 || true)
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || {
    echo "sid_root: no Debian archive in /etc/apt/sources.list(.d): add one, then run again" >&2
    exit 1
  }
  echo "$uri"
}

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

if ! command -v debootstrap >/dev/null 2>&1; then
  # A fresh machine may have no package lists yet: update once, then install.
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends debootstrap >/dev/null 2>&1 || {
    "${sudo_cmd[@]}" apt-get update -qq >/dev/null 2>&1
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  } || skip "debootstrap could not be installed on this machine"
fi

if [ ! -f "$sid/.bootstrapped" ]; then
  mirror="$(debian_mirror)"
  echo "sid_root: making a Debian unstable root in third_party/sid-root"
  # Never remove a root that still has something mounted inside it (a bind mount of the tree
  # would be removed with it).
  if grep -q " $sid/" /proc/mounts; then
    echo "sid_root: something is mounted under $sid: unmount it (see /proc/mounts), then run again" >&2
    exit 1
  fi
  rm -rf "$sid"
  "${sudo_cmd[@]}" debootstrap --variant=minbase sid "$sid" "$mirror" >"$sid.log" 2>&1 ||
    skip "debootstrap of unstable failed (see third_party/sid-root.log)"
  echo 'Acquire::Check-Valid-Until "false";' |
    "${sudo_cmd[@]}" tee "$sid/etc/apt/apt.conf.d/99v8snap-dated-mirror" >/dev/null
  touch "$sid/.bootstrapped"
fi

in_root() { "${sudo_cmd[@]}" chroot "$sid" "$@"; }

missing=()
for p in "${packages[@]}"; do
  in_root dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "sid_root: installing ${missing[*]}"
  in_root apt-get update -qq >/dev/null 2>&1 || skip "apt-get update in the unstable root failed"
  if ! out=$(in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" 2>&1); then
    broken=$(echo "$out" | grep -oE '^ [a-z0-9.+-]+ : Depends' | head -1 | awk '{print $1}' || true)
    skip "unstable's ${broken:-packages} cannot be installed: $(echo "$out" | grep -E '^E:' | head -1 || true)"
  fi
fi
echo "sid_root: ready: $(in_root dpkg-query -W -f='libnode-dev ${Version}' libnode-dev)"

#!/usr/bin/env bash
# Runs a command inside third_party/sid-root (Debian unstable with V8 13.6; tools/sid_root.sh
# makes it), with this tree visible at the same absolute path it has outside, so build files,
# test data and error messages name the same paths in both worlds.
#
# Usage: tools/in_sid_root.sh COMMAND [ARGS...]     (run from anywhere; the command starts in
#                                                   the tree's root)
# Exit codes: the command's; 3 with one "SKIPPED: ..." line when unstable's packages cannot be
# fetched or installed (tools/sid_root.sh).
#
# The mounts (the tree, /proc, /dev) live in a private mount namespace (unshare --mount): they
# vanish with the command, whatever way it ends, so a killed run never leaves the tree mounted
# inside the root (where an `rm -rf` of the root would reach it).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sid="$root/third_party/sid-root"

rc=0
bash "$root/tools/sid_root.sh" >&2 || rc=$?
[ "$rc" -eq 0 ] || exit "$rc"

if [ $# -eq 0 ]; then
  echo "usage: tools/in_sid_root.sh COMMAND [ARGS...]" >&2
  exit 2
fi

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

# The environment inside is made from scratch: the host's PATH or LD_LIBRARY_PATH would point
# at Debian 12's tools and libraries. What the suites read is passed through.
pass_env=(HOME=/root PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin LANG=C.UTF-8)
for name in TERM CI NINJA_JOBS V8SNAP_STRESS_SCALE BENCH_RUNS BENCH_REPETITIONS BENCH_MIN_TIME \
  BENCH_FILTER SOURCE_DATE_EPOCH V8SNAP_OTHER_BUILD; do
  [ -n "${!name:-}" ] && pass_env+=("$name=${!name}")
done

exec "${sudo_cmd[@]}" unshare --mount --propagation private -- bash -c '
  set -e
  sid="$1" root="$2"
  shift 2
  mkdir -p "$sid$root" "$sid/proc" "$sid/dev"
  mount --bind "$root" "$sid$root"
  mount -t proc proc "$sid/proc"
  mount --rbind /dev "$sid/dev"
  cd "$sid$root"
  exec chroot "$sid" /usr/bin/env -i "$@"
' in_sid_root "$sid" "$root" "${pass_env[@]}" /bin/bash -c 'cd "$0" && exec "$@"' "$root" "$@"

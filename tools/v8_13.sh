#!/usr/bin/env bash
# The V8 13.6 suites (docs/v8_versions.md): builds v8snap in the Debian unstable root against
# its libnode137 (tools/sid_root.sh makes the root, tools/in_sid_root.sh enters it), into
# out/v8-13, and runs one job there:
#   tools/v8_13.sh demo     the demo on the default manifest (make demo-v8-13)
#   tools/v8_13.sh test     every test binary; the last line is "N passed, N failed" (make test-v8-13)
#   tools/v8_13.sh bench    the benchmark suite into out/bench-v8-13 (make bench-v8-13)
#   tools/v8_13.sh build    only the build
# When unstable's packages cannot be fetched or installed, prints one "SKIPPED: ..." line naming
# the package or step and exits 0; any build or test failure exits non-zero.
set -euo pipefail
job="${1:-test}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out=out/v8-13
jobs="${NINJA_JOBS:-$(nproc)}"

# What the tests need from outside the root, made on this machine: the pinned npm packages of
# the library tests (the root has no npm), cached under out/, and the V8 10.2 build, whose tools
# and snapshot the cross-version checks meet (a no-op after `make test`).
if [ "$job" = test ]; then
  bash tools/fetch_npm_fixtures.sh "$root/out" >/dev/null
  make -s build >/dev/null
fi
# The bench's Deno and pinned library packages, fetched on this machine into out/ (npm).
if [ "$job" = bench ]; then
  bash tools/install_deps.sh --bench
fi
extra=()
[ "$job" = test ] && extra=(--test)

rc=0
bash tools/sid_root.sh "${extra[@]}" >&2 || rc=$?
if [ "$rc" -eq 3 ]; then exit 0; fi  # sid_root.sh printed the SKIPPED line
[ "$rc" -eq 0 ] || exit "$rc"

gn_args='is_debug=false v8_include_dirs=["/usr/include/nodejs/deps/v8/include"] '
gn_args+='v8_lib_dir="/usr/lib/x86_64-linux-gnu" v8_libs=["node"] cxx_standard="c++20"'

# The commands run inside the root; the tree is at the same path there.
build="gn gen $out --args='$gn_args' >/dev/null && ninja -C $out -j $jobs"
case "$job" in
  build) inner="$build" ;;
  demo) inner="$build >/dev/null && bash tools/demo.sh $out" ;;
  test)
    # The 13.6 suite, with the cross-version checks against the 10.2 build; then the same
    # checks from the 10.2 side, and the total of both as the last line.
    log="$root/out/v8-13-tests.log"
    inner="$build && V8SNAP_OTHER_BUILD=$root/out/release bash tools/run_tests.sh $out"
    inner+=" $out/cross_version_check"
    rc=0
    bash tools/in_sid_root.sh bash -c "$inner" | tee "$log" || rc=$?
    [ "$rc" -ne 3 ] || exit 0  # SKIPPED, printed by sid_root.sh
    read -r p13 _ f13 _ < <(tail -1 "$log")
    host_log="$(mktemp)"
    echo "and from the V8 10.2 side:"
    V8SNAP_OTHER_BUILD="$root/$out" bash tools/run_tests.sh --only out/release/cross_version_check \
      2>&1 | tee "$host_log" | grep -v ' passed, ' || true
    read -r p10 _ f10 _ < <(tail -1 "$host_log")
    rm -f "$host_log"
    # The SKIPPED path itself: a package unstable does not have is refused with one line, exit 3.
    skip_rc=0
    skip_out=$(V8SNAP_SID_EXTRA_PACKAGES=v8snap-no-such-package bash tools/sid_root.sh 2>&1) ||
      skip_rc=$?
    if [ "$skip_rc" -eq 3 ] && [ "$(echo "$skip_out" | grep -c '^SKIPPED: .*v8snap-no-such-package')" -eq 1 ]; then
      echo "sid_root SKIPPED path           1 passed    0 failed"
      p10=$((p10 + 1))
    else
      echo "sid_root SKIPPED path           0 passed    1 failed  (exit $skip_rc: $skip_out)"
      f10=$((f10 + 1))
    fi
    [[ "$p13$f13$p10$f10" =~ ^[0-9]+$ ]] || { echo "0 passed, 1 failed"; exit 1; }
    echo "$((p13 + p10)) passed, $((f13 + f10)) failed"
    [ $((f13 + f10)) -eq 0 ] && [ "$rc" -eq 0 ]
    exit
    ;;
  bench)
    inner="gn gen out/bench-v8-13 --args='$gn_args' >/dev/null && "
    inner+="ninja -C out/bench-v8-13 -j $jobs bench && bash bench/run_bench.sh out/bench-v8-13"
    ;;
  *)
    echo "usage: tools/v8_13.sh demo|test|bench|build" >&2
    exit 2
    ;;
esac
exec bash tools/in_sid_root.sh bash -c "$inner"

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

# What the jobs need from outside the root, fetched on this machine (the root has no npm): the
# pinned npm packages of the library tests, cached under out/.
if [ "$job" = test ]; then
  bash tools/fetch_npm_fixtures.sh "$root/out" >/dev/null
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
  test) inner="$build && bash tools/run_tests.sh $out" ;;
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

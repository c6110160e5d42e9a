# Sourced by bench/serve_timing.sh and bench/library_bench.sh: find_deno OUT prints the deno to
# time against, or nothing: $DENO, OUT/deno/deno, out/deno/deno, a deno on PATH, or the npm
# registry's pinned @deno/linux-x64-glibc that tools/install_deno.sh puts in out/deno.
find_deno() {
  local found="${DENO:-}" candidate
  for candidate in "$1/deno/deno" out/deno/deno; do
    [ -z "$found" ] && [ -x "$candidate" ] && found="$candidate"
  done
  [ -z "$found" ] && found="$(command -v deno || true)"
  if [ -z "$found" ] && bash tools/install_deno.sh >&2; then found=out/deno/deno; fi
  echo "$found"
}

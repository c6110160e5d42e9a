#!/usr/bin/env bash
# Installs a built v8snap (`make install PREFIX=...` calls this): the tools, the static
# libraries, the headers, libnode (V8) and pkg-config files, so a CMake, Meson, make or GN
# project outside this tree can build its own runtime and builder (docs/embedding.md).
#
# Usage: tools/install.sh --out out/release --prefix /usr/local [--destdir STAGING]
#
#   PREFIX/bin/                      snapshot_builder, snapshot_run, snapshot_inspect
#   PREFIX/lib/                      libv8snap_{runtime,builder,extensions}.a, libnode.so.108
#   PREFIX/lib/pkgconfig/            v8snap.pc, v8snap-builder.pc, v8snap-extensions.pc
#   PREFIX/include/v8snap/           format/ runtime/ snapshot_builder/ cli/ headers, v8/
#   PREFIX/share/v8snap/             default.bin (+ sidecar), manifests/, extensions/*.js
#   PREFIX/share/v8snap/gn/          v8_snapshot.gni + run_tool.py, to copy into a GN tree
#   PREFIX/share/v8snap/embed_manifest.py   compiles a manifest into C++ (kEmbeddedManifest)
#
# --destdir stages the files under STAGING/PREFIX while the .pc files keep PREFIX (packaging).
# libnode goes next to the libraries because the installed tools look for it in $ORIGIN/../lib
# only (tools/set_runpath.py drops the build tree's V8 folder from their RUNPATH), and the .pc
# files give the same folder as an rpath, so nothing needs LD_LIBRARY_PATH.
set -euo pipefail

usage() {
  echo "usage: tools/install.sh --out BUILD_DIR --prefix PREFIX [--destdir STAGING]" >&2
  exit 2
}

out="" prefix="" destdir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="${2:-}"; shift 2 || usage ;;
    --prefix) prefix="${2:-}"; shift 2 || usage ;;
    --destdir) destdir="${2:-}"; shift 2 || usage ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "install: unknown argument '$1'" >&2; usage ;;
  esac
done
[ -n "$out" ] && [ -n "$prefix" ] || usage
case "$prefix" in
  /*) ;;
  *) echo "install: --prefix must be an absolute path (the .pc files record it), got '$prefix'" >&2
     exit 2 ;;
esac
prefix="${prefix%/}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ -d "$out" ] || { echo "install: no build folder '$out' (run: make build)" >&2; exit 1; }
out="$(cd "$out" && pwd)"
v8_root="$root/third_party/v8/usr"
version="$(sed -n 's/.*kV8snapVersion\[\] = "\(.*\)";/\1/p' "$root/format/version.h")"

need() {
  for f in "$@"; do
    [ -e "$f" ] || { echo "install: '$f' is missing (run: make build)" >&2; exit 1; }
  done
}
libs=(v8snap_runtime v8snap_builder v8snap_extensions)
need "$out/snapshot_builder" "$out/snapshot_run" "$out/default.bin" "$out/default.bin.sidecar.pb" \
  "$v8_root/lib/x86_64-linux-gnu/libnode.so.108"
for l in "${libs[@]}"; do need "$out/obj/lib/lib$l.a"; done

dest="$destdir$prefix"
bin="$dest/bin" lib="$dest/lib" inc="$dest/include/v8snap" share="$dest/share/v8snap"
mkdir -p "$bin" "$lib/pkgconfig" "$inc/v8" "$share/gn"

for tool in snapshot_builder snapshot_run snapshot_inspect; do
  if [ -x "$out/$tool" ]; then
    install -m 755 "$out/$tool" "$bin/$tool"
    # Built tools also search this clone's third_party/v8 (first); installed ones must find
    # libnode only beside themselves, whatever becomes of the clone.
    python3 "$root/tools/set_runpath.py" '$ORIGIN/../lib' "$bin/$tool"
  fi
done
for l in "${libs[@]}"; do install -m 644 "$out/obj/lib/lib$l.a" "$lib/lib$l.a"; done
install -m 644 "$v8_root/lib/x86_64-linux-gnu/libnode.so.108" "$lib/libnode.so.108"
ln -sf libnode.so.108 "$lib/libnode.so"

# Headers keep their repository paths, so installed code includes "runtime/js_runtime.h"
# exactly as code in this tree does; the generated protobuf headers join format/.
(cd "$root" && find format runtime snapshot_builder cli -name '*.h' -print0) |
  while IFS= read -r -d '' h; do install -D -m 644 "$root/$h" "$inc/$h"; done
for h in "$out"/gen/format/*.pb.h; do install -m 644 "$h" "$inc/format/"; done
# V8's headers only, from libnode-dev's include/node (which also holds Node's, uv's, ...).
v8_inc="$v8_root/include/node"
(cd "$v8_inc" && find . -type f \( -name 'v8*.h' -o -path './cppgc/*' -o -path './libplatform/*' \) \
  -print0) |
  while IFS= read -r -d '' h; do install -D -m 644 "$v8_inc/$h" "$inc/v8/$h"; done

# The default snapshot matching the installed snapshot_run, and what it is built from.
install -m 644 "$out/default.bin" "$out/default.bin.sidecar.pb" "$share/"
(cd "$root" && find manifests -name '*.textproto' -print0 && find extensions -name '*.js' -print0) |
  while IFS= read -r -d '' f; do install -D -m 644 "$root/$f" "$share/$f"; done
install -m 644 "$root/build/v8_snapshot.gni" "$root/build/run_tool.py" "$share/gn/"
install -m 755 "$root/tools/embed_manifest.py" "$share/embed_manifest.py"

# pkg-config. The libraries are static, so their dependencies are in Requires/Libs (not
# .private): every consumer links them. Order matters to the linker and pkg-config keeps it:
# extensions (whole), builder, runtime, then the system libraries.
absl="absl_status absl_statusor absl_strings absl_str_format absl_cord absl_hash absl_raw_hash_set"
pc_header() {
  cat <<PC
prefix=$prefix
exec_prefix=\${prefix}
libdir=\${exec_prefix}/lib
includedir=\${prefix}/include/v8snap

PC
}
{
  pc_header
  cat <<PC
# The runtime: JsRuntime, the load-time check, RunRuntimeMain (docs/embedding.md). Link your
# extensions' object files too; v8snap's built-in extensions are in v8snap-extensions.
Name: v8snap
Description: V8 startup snapshots whose native wiring is checked at load time (runtime)
Version: $version
Requires: $absl protobuf libuv libxxhash
Cflags: -std=c++17 -pthread -I\${includedir} -I\${includedir}/v8
Libs: -L\${libdir} -lv8snap_runtime -lnode -Wl,-rpath,\${libdir} -pthread
PC
} >"$lib/pkgconfig/v8snap.pc"
{
  pc_header
  cat <<PC
# The snapshot builder: BuildSnapshot and RunBuilderMain, for your own builder binary.
Name: v8snap-builder
Description: Builds v8snap snapshots (blob + sidecar) from a manifest
Version: $version
Requires: v8snap = $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -lv8snap_builder
PC
} >"$lib/pkgconfig/v8snap-builder.pc"
{
  pc_header
  cat <<PC
# v8snap's built-in extensions (core, console, ...). They register from static initializers
# nothing references, so the archive is linked whole: a plain -l would drop every op. It is
# named by path, not -l, because CMake turns -L into search paths that -Wl,... never sees.
# Give this package first: pkg-config --libs v8snap-extensions v8snap-builder.
Name: v8snap-extensions
Description: v8snap's built-in extensions, linked whole so their ops register
Version: $version
Requires: v8snap = $version
Libs: -Wl,--whole-archive,\${libdir}/libv8snap_extensions.a,--no-whole-archive
PC
} >"$lib/pkgconfig/v8snap-extensions.pc"

echo "install: v8snap $version installed in $dest"

#!/usr/bin/env bash
# Installs a built v8snap (`make install PREFIX=...` calls this): the tools, the static
# libraries, the headers, libnode (V8) and pkg-config files, so a CMake, Meson, make or GN
# project outside this tree can build its own runtime and builder (docs/embedding.md).
#
# Usage: tools/install.sh --out out/release --prefix /usr/local [--destdir STAGING]
#
#   PREFIX/bin/                      snapshot_builder, snapshot_run, snapshot_inspect
#   PREFIX/lib/                      libv8snap_{runtime,builder,inspect,extensions}.a,
#                                    the V8 library the build linked (libnode.so.108 for V8 10.2,
#                                    libnode.so.137 for 13.6)
#   PREFIX/lib/pkgconfig/            v8snap.pc, v8snap-builder.pc, v8snap-inspect.pc,
#                                    v8snap-extensions.pc
#   PREFIX/lib/cmake/v8snap/         v8snapConfig.cmake, v8snapConfigVersion.cmake
#   PREFIX/include/v8snap/           format/ check/ runtime/ snapshot_builder/ snapshot_inspect/ cli/
#                                    headers, v8/ (the build's V8 headers)
#   PREFIX/share/v8snap/             default.bin (+ sidecar), manifests/, extensions/*.js
#   PREFIX/share/v8snap/gn/          v8_snapshot.gni + run_tool.py, embedded_manifest.gni +
#                                    embed_manifest.py, to copy into a GN tree
#   PREFIX/share/v8snap/embed_manifest.py   compiles a manifest into C++ (kEmbeddedManifest)
#
# Only files whose contents differ are written: running it again on an unchanged build keeps
# every installed file's modification time, so an embedder's build recompiles nothing.
#
# libv8snap_runtime.a carries the static Abseil, protobuf and xxHash archives the tools link
# (build/deps/BUILD.gn), so programs linking it need none of their shared libraries, and link
# order among them cannot go wrong (the linker rescans one archive until nothing new resolves).
#
# --destdir stages the files under STAGING/PREFIX while the .pc files keep PREFIX (packaging).
# libnode goes next to the libraries because the installed tools look for it in $ORIGIN/../lib
# only (tools/set_runpath.py drops the build tree's V8 folder from their RUNPATH), and the .pc
# files give the same folder as an rpath, so nothing needs LD_LIBRARY_PATH.
#
# Which V8 that is comes from the build folder's gn args (build/BUILDCONFIG.gn): v8_lib_dir and
# v8_libs name the libraries (each installed under its SONAME, with the lib*.so link beside it),
# v8_include_dirs the headers, cxx_standard the C++ standard those headers need (the CMake
# package asks for it; the .pc files name it in the variable cxx_standard).
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
version="$(sed -n 's/.*kV8snapVersion\[\] = "\(.*\)";/\1/p' "$root/format/version.h")"

need() {
  for f in "$@"; do
    [ -e "$f" ] || { echo "install: '$f' is missing (run: make build)" >&2; exit 1; }
  done
}
libs=(v8snap_runtime v8snap_builder v8snap_inspect v8snap_extensions)
need "$out/snapshot_builder" "$out/snapshot_run" "$out/default.bin" "$out/default.bin.sidecar.pb"
for l in "${libs[@]}"; do need "$out/obj/lib/lib$l.a"; done

# gn_arg NAME: the value of the build's gn arg NAME as gn prints it ("..." or ["...", ...]).
gn_arg() {
  local line
  line="$(gn args "$out" --list="$1" --short)" ||
    { echo "install: cannot read the gn arg $1 of '$out'" >&2; exit 1; }
  printf '%s\n' "${line#"$1 = "}"
}
# gn_strings NAME: the strings of gn arg NAME, one a line.
gn_strings() { gn_arg "$1" | grep -oE '"[^"]*"' | tr -d '"'; }
# gn_path PATH: a path as the gn arg gives it ("//x" is below the source root; a relative one is
# relative to build/deps, the file that uses it) made absolute.
gn_path() {
  case "$1" in
    //*) printf '%s\n' "$root/${1#//}" ;;
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$root/build/deps/$1" ;;
  esac
}
v8_lib_dir="$(gn_path "$(gn_strings v8_lib_dir)")"
mapfile -t v8_libs < <(gn_strings v8_libs)
v8_include_dirs=()
while IFS= read -r d; do v8_include_dirs+=("$(gn_path "$d")"); done < <(gn_strings v8_include_dirs)
cxx_standard="$(gn_strings cxx_standard)"       # "c++17"
cxx_standard_number="${cxx_standard##*++}"      # "17"
[ "${#v8_libs[@]}" -gt 0 ] && [ "${#v8_include_dirs[@]}" -gt 0 ] && [ -n "$cxx_standard_number" ] ||
  { echo "install: the gn args of '$out' name no V8 (v8_libs, v8_include_dirs, cxx_standard)" >&2; exit 1; }
# Each V8 library as the linker finds it (lib<name>.so in v8_lib_dir), and its SONAME, the name
# the tools load it by: v8_sonames[i] belongs to v8_libs[i].
v8_sonames=() v8_files=()
for l in "${v8_libs[@]}"; do
  so="$v8_lib_dir/lib$l.so"
  need "$so"
  soname="$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]$/\1/p')"
  [ -n "$soname" ] || soname="lib$l.so"
  v8_sonames+=("$soname")
  v8_files+=("$(readlink -f "$so")")
done

dest="$destdir$prefix"
bin="$dest/bin" lib="$dest/lib" inc="$dest/include/v8snap" share="$dest/share/v8snap"
cmake_dir="$dest/lib/cmake/v8snap"
mkdir -p "$bin" "$lib/pkgconfig" "$inc/v8" "$share/gn" "$cmake_dir"
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT

# put MODE SRC DEST: installs SRC as DEST unless DEST already has the same bytes and mode.
put() {
  local mode="$1" src="$2" dst="$3"
  if [ -f "$dst" ] && cmp -s "$src" "$dst" && [ "$(stat -c %a "$dst")" = "$mode" ]; then
    return 0
  fi
  install -D -m "$mode" "$src" "$dst"
}

for tool in snapshot_builder snapshot_run snapshot_inspect; do
  if [ -x "$out/$tool" ]; then
    # Built tools also search this clone's third_party/v8 (first); installed ones must find
    # libnode only beside themselves, whatever becomes of the clone. Patched in staging, so an
    # unchanged tool compares equal to the installed one.
    cp "$out/$tool" "$staging/$tool"
    python3 "$root/tools/set_runpath.py" '$ORIGIN/../lib' "$staging/$tool"
    put 755 "$staging/$tool" "$bin/$tool"
  fi
done

# The runtime archive with the static system archives the tools link, as gn resolved them for
# the inspector (build/deps/BUILD.gn), merged by an ar script (ar writes deterministic archives).
static_deps=()
while IFS= read -r a; do
  path="$(${CXX:-g++} -print-file-name="$a")"
  [ "$path" != "$a" ] || { echo "install: static library '$a' not found (run: make build)" >&2; exit 1; }
  static_deps+=("$path")
done < <(gn desc "$out" //snapshot_inspect:snapshot_inspect libs |
  grep -oE '^:lib(absl_[a-z0-9_]+|protobuf|xxhash)\.a$' | tr -d ':')
{
  echo "CREATE $staging/libv8snap_runtime.a"
  echo "ADDLIB $out/obj/lib/libv8snap_runtime.a"
  for a in "${static_deps[@]}"; do echo "ADDLIB $a"; done
  echo "SAVE"
  echo "END"
} | ar -M
put 644 "$staging/libv8snap_runtime.a" "$lib/libv8snap_runtime.a"
for l in "${libs[@]}"; do
  [ "$l" = v8snap_runtime ] || put 644 "$out/obj/lib/lib$l.a" "$lib/lib$l.a"
done
for i in "${!v8_libs[@]}"; do
  soname="${v8_sonames[$i]}" link="lib${v8_libs[$i]}.so"
  put 644 "${v8_files[$i]}" "$lib/$soname"
  if [ "$soname" != "$link" ] && [ "$(readlink "$lib/$link" 2>/dev/null)" != "$soname" ]; then
    ln -sfn "$soname" "$lib/$link"
  fi
done

# Headers keep their repository paths, so installed code includes "runtime/js_runtime.h"
# exactly as code in this tree does; the generated protobuf headers join format/.
(cd "$root" && find format check compat runtime snapshot_builder snapshot_inspect cli -name '*.h' -print0) |
  while IFS= read -r -d '' h; do put 644 "$root/$h" "$inc/$h"; done
for h in "$out"/gen/format/*.pb.h; do put 644 "$h" "$inc/format/$(basename "$h")"; done
for h in "$out"/gen/snapshot_inspect/*.pb.h; do
  put 644 "$h" "$inc/snapshot_inspect/$(basename "$h")"
done
# V8's headers only: Debian 12's libnode-dev has them in include/node with Node's, uv's, ...;
# unstable's in include/nodejs/deps/v8/include alone.
for v8_inc in "${v8_include_dirs[@]}"; do
  (cd "$v8_inc" && find . -type f \( -name 'v8*.h' -o -path './cppgc/*' -o -path './libplatform/*' \) \
    -print0) |
    while IFS= read -r -d '' h; do put 644 "$v8_inc/$h" "$inc/v8/$h"; done
done

# The default snapshot matching the installed snapshot_run, and what it is built from.
put 644 "$out/default.bin" "$share/default.bin"
put 644 "$out/default.bin.sidecar.pb" "$share/default.bin.sidecar.pb"
(cd "$root" && find manifests -name '*.textproto' -print0 && find extensions -name '*.js' -print0) |
  while IFS= read -r -d '' f; do put 644 "$root/$f" "$share/$f"; done
put 644 "$root/build/v8_snapshot.gni" "$share/gn/v8_snapshot.gni"
put 644 "$root/build/run_tool.py" "$share/gn/run_tool.py"
# The installed template finds embed_manifest.py beside itself, not in v8snap's tools/.
sed 's|^_embedded_manifest_script = "//tools/embed_manifest.py"$|_embedded_manifest_script = get_path_info("embed_manifest.py", "abspath")|' \
  "$root/build/embedded_manifest.gni" >"$staging/embedded_manifest.gni"
grep -q 'get_path_info("embed_manifest.py"' "$staging/embedded_manifest.gni" ||
  { echo "install: build/embedded_manifest.gni no longer names //tools/embed_manifest.py as expected" >&2; exit 1; }
put 644 "$staging/embedded_manifest.gni" "$share/gn/embedded_manifest.gni"
put 755 "$root/tools/embed_manifest.py" "$share/gn/embed_manifest.py"
put 755 "$root/tools/embed_manifest.py" "$share/embed_manifest.py"

# pkg-config. The libraries are static, so their dependencies are in Requires/Libs (not
# .private): every consumer links them. Order matters to the linker and pkg-config keeps it:
# extensions (whole), builder or inspect, runtime, then the system libraries. Abseil, protobuf
# and xxHash are inside libv8snap_runtime.a; protobuf needs zlib.
#
# Cflags hold what every user must compile with and nothing more: no -std= (the headers need
# the build's cxx_standard or later, C++17 for V8 10.2 and C++20 for 13.6, whose headers say so
# with an #error; a project keeps its own), but -fno-ipa-icf, because identical-code
# folding can give two ops one address, which breaks the 1:1 mapping of external references
# (ComputeLayout refuses it, so a folded program would not start).
# Variables a build reads with `pkg-config --variable=NAME v8snap`: where share/ is, the script
# that compiles a manifest in, the built-in extensions' sources, the default snapshot.
v8_link="$(printf -- '-l%s ' "${v8_libs[@]}")"
v8_link="${v8_link% }"
pc_header() {
  cat <<PC
prefix=$prefix
exec_prefix=\${prefix}
libdir=\${exec_prefix}/lib
includedir=\${prefix}/include/v8snap
datadir=\${prefix}/share/v8snap
embed_manifest=\${datadir}/gn/embed_manifest.py
builtin_dir=\${datadir}/extensions
default_snapshot=\${datadir}/default.bin
cxx_standard=$cxx_standard

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
Requires: libuv
Cflags: -pthread -fno-ipa-icf -I\${includedir} -I\${includedir}/v8
Libs: -L\${libdir} -lv8snap_runtime $v8_link -lz -Wl,-rpath,\${libdir} -pthread
PC
} >"$staging/v8snap.pc"
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
} >"$staging/v8snap-builder.pc"
{
  pc_header
  cat <<PC
# The inspector: RunInspectMain, for your own inspector binary linking your extensions, so
# its verify, validate and diff know your ops.
Name: v8snap-inspect
Description: Inspects, verifies and diffs v8snap snapshots (blob + sidecar)
Version: $version
Requires: v8snap = $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -lv8snap_inspect
PC
} >"$staging/v8snap-inspect.pc"
{
  pc_header
  cat <<PC
# v8snap's built-in extensions (core, console, ...). They register from static initializers
# nothing references, so the archive is linked whole: a plain -l would drop every op. It is
# named by path, not -l, because CMake turns -L into search paths that -Wl,... never sees.
# Give this package first: pkg-config --libs v8snap-extensions v8snap-builder (or -inspect).
Name: v8snap-extensions
Description: v8snap's built-in extensions, linked whole so their ops register
Version: $version
Requires: v8snap = $version
Libs: -Wl,--whole-archive,\${libdir}/libv8snap_extensions.a,--no-whole-archive
PC
} >"$staging/v8snap-extensions.pc"
for pc in v8snap v8snap-builder v8snap-inspect v8snap-extensions; do
  put 644 "$staging/$pc.pc" "$lib/pkgconfig/$pc.pc"
done

# CMake: find_package(v8snap CONFIG) with imported targets and v8snap_add_snapshot /
# v8snap_embed_manifest (lib/cmake/v8snapConfig.cmake.in finds the prefix from its own place;
# the build's V8 libraries and C++ standard are filled in).
v8_sonames_cmake="$(IFS=';'; echo "${v8_sonames[*]}")"
sed -e "s/@V8_LIBRARIES@/$v8_sonames_cmake/g" -e "s/@CXX_STANDARD@/$cxx_standard_number/g" \
  "$root/lib/cmake/v8snapConfig.cmake.in" >"$staging/v8snapConfig.cmake"
put 644 "$staging/v8snapConfig.cmake" "$cmake_dir/v8snapConfig.cmake"
IFS=. read -r v_major v_minor _ <<<"$version"
sed -e "s/@VERSION@/$version/g" -e "s/@VERSION_MAJOR@/$v_major/g" -e "s/@VERSION_MINOR@/$v_minor/g" \
  "$root/lib/cmake/v8snapConfigVersion.cmake.in" >"$staging/v8snapConfigVersion.cmake"
put 644 "$staging/v8snapConfigVersion.cmake" "$cmake_dir/v8snapConfigVersion.cmake"

echo "install: v8snap $version installed in $dest"

#!/usr/bin/env python3
"""Compiles a manifest and every JS source it names into a C++ file (kEmbeddedManifest), so a
runtime binary carries its own configuration.

Usage: embed_manifest.py --manifest M --out FILE.cc [--root DIR] [--depfile FILE.d]
                         [--check-with INSPECTOR]

  --root DIR       the folder embedded paths are relative to (default: the manifest's folder).
                   The runtime shows these paths in messages and reads the embedded copies by
                   them, so pick the folder your users know the files by (a repository root).
  --depfile FILE   also write a depfile (OUT: manifest and sources) for ninja, make or CMake,
                   so the C++ is regenerated when the manifest or a source changes.
  --builtin-root D the built-in extensions' folder, for "builtin:" sources (default:
                   $V8SNAP_BUILTIN_DIR, else v8snap's extensions/ found from this script's place,
                   in the source tree or in an installation; a copy elsewhere needs this flag). They are embedded under their "builtin:" name, which is how
                   the runtime looks them up.
  --check-with T   first run `T validate MANIFEST` (snapshot_inspect, or an embedder's inspector
                   from RunInspectMain, which knows its native extensions): an invalid manifest
                   then fails the build with the loader's own file:line:col messages, instead
                   of the binary failing at start.

OUT and the depfile are rewritten only when their contents change, so an unchanged manifest
recompiles nothing (ninja's restat, make and CMake see the old modification time).
"""
import argparse
import os
import re
import subprocess
import sys

# Quoted strings after js:, esm: or lazy_esm:, in scalar form (js: "a") or list form (js: ["a", "b"]).
SOURCE_FIELD = re.compile(r'\b(?:js|esm|lazy_esm)\s*:\s*(\[[^\]]*\]|"(?:[^"\\]|\\.)*")')
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def strip_comments(text):
    out = []
    for line in text.splitlines():
        in_string = False
        for i, ch in enumerate(line):
            if ch == '"' and (i == 0 or line[i - 1] != "\\"):
                in_string = not in_string
            elif ch == "#" and not in_string:
                line = line[:i]
                break
        out.append(line)
    return "\n".join(out)


BUILTIN = "builtin:"


def default_builtin_root():
    """$V8SNAP_BUILTIN_DIR, or v8snap's extensions/ beside this script's folder (tools/, or an
    installation's share/v8snap/gn/), or inside it (the copy in share/v8snap/)."""
    if os.environ.get("V8SNAP_BUILTIN_DIR"):
        return os.environ["V8SNAP_BUILTIN_DIR"]
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.path.join(here, "..", "extensions"), os.path.join(here, "extensions")):
        if os.path.isdir(os.path.join(candidate, "core")):
            return os.path.normpath(candidate)
    return None


def c_bytes(data):
    return ",".join(str(b) for b in data) if data else "0"


def write_if_changed(path, text):
    """Writes `text` to `path` unless it already holds exactly that (keeps the mtime)."""
    try:
        with open(path, "r", encoding="utf-8") as f:
            if f.read() == text:
                return
    except OSError:
        pass
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def check_manifest(checker, manifest):
    """Runs the real manifest loader (`checker validate`); exits 1 with its report on problems."""
    # "out/app_inspect" or a bare "app_inspect" beside the build: a file here, not one on PATH.
    command = os.path.abspath(checker) if os.path.isfile(checker) else checker
    try:
        result = subprocess.run([command, "validate", manifest], capture_output=True, text=True)
    except OSError as e:
        sys.exit(f"embed_manifest: error: cannot run the checker '{checker}': {e.strerror}. "
                 "Expected an inspector binary (snapshot_inspect, or yours from RunInspectMain); "
                 "fix --check-with, or drop it to embed without checking")
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"embed_manifest: error: '{manifest}' is not a valid manifest for this "
                 f"program (checked by {os.path.basename(checker)} validate, above); fix it, "
                 "then build again")


def main():
    parser = argparse.ArgumentParser(
        description="Compiles a manifest and its sources into C++ (v8snap::kEmbeddedManifest).")
    parser.add_argument("--manifest", required=True, help="the manifest (text format)")
    parser.add_argument("--out", required=True, help="the C++ file to write")
    parser.add_argument("--root", help="embedded paths are relative to this folder "
                        "(default: the manifest's folder)")
    parser.add_argument("--depfile", help="also write a depfile for ninja, make or CMake")
    parser.add_argument("--builtin-root", help="the folder 'builtin:' sources are in")
    parser.add_argument("--check-with", metavar="INSPECTOR",
                        help="validate the manifest with this inspector binary first")
    args = parser.parse_args()

    manifest = os.path.abspath(args.manifest)
    root = os.path.abspath(args.root) if args.root else os.path.dirname(manifest)
    if args.check_with:
        check_manifest(args.check_with, args.manifest)
    with open(manifest, "rb") as f:
        manifest_bytes = f.read()
    builtin_root = args.builtin_root or default_builtin_root()
    paths = [manifest]
    names = {}  # path -> the name it is embedded under, when not relative to the root
    for match in SOURCE_FIELD.finditer(strip_comments(manifest_bytes.decode("utf-8"))):
        for quoted in QUOTED.findall(match.group(1)):
            if quoted.startswith(BUILTIN):
                if not builtin_root:
                    sys.exit(f"embed_manifest: error: '{manifest}' names '{quoted}', but no "
                             "built-in extensions folder was found; pass --builtin-root "
                             "(PREFIX/share/v8snap/extensions, or v8snap's extensions/)")
                path = os.path.normpath(os.path.join(builtin_root, quoted[len(BUILTIN):]))
                names[path] = quoted
            else:
                path = os.path.normpath(os.path.join(os.path.dirname(manifest), quoted))
            paths.append(path)

    lines = ['// Generated by tools/embed_manifest.py. Do not edit.',
             '#include "runtime/embedded_manifest.h"', '', 'namespace v8snap {', 'namespace {']
    entries = []
    for i, path in enumerate(paths):
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            # The loader reports missing sources with their manifest line; embed nothing here.
            print(f"embed_manifest: note: {e}", file=sys.stderr)
            continue
        rel = names.get(path) or os.path.relpath(path, root)
        # unsigned char: any byte value (UTF-8 included) fits without a narrowing conversion.
        lines.append(f"const unsigned char kFile{i}[] = {{{c_bytes(data)}}};")
        entries.append(f'  {{"{rel}", reinterpret_cast<const char*>(kFile{i}), {len(data)}}},')
    lines += ["const EmbeddedFile kFiles[] = {"] + entries + ["};", "}  // namespace", ""]
    lines.append("const EmbeddedManifest kEmbeddedManifest = {")
    lines.append(f'    "{os.path.relpath(manifest, root)}", kFiles, sizeof(kFiles) / sizeof(kFiles[0])}};')
    lines += ["", "}  // namespace v8snap", ""]

    write_if_changed(args.out, "\n".join(lines))
    if args.depfile:
        write_if_changed(args.depfile,
                         args.out + ": " + " ".join(p.replace(" ", "\\ ") for p in paths) + "\n")


if __name__ == "__main__":
    main()

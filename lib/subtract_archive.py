#!/usr/bin/env python3
"""Writes OUT: a copy of the archive FULL without the members that are also in each BASE archive.

GN's complete static libraries bundle every object they depend on, so the builder's and the
extensions' complete archives also hold the runtime's objects; subtracting libv8snap_runtime.a
leaves libraries that link side by side without duplicate objects.

Usage: subtract_archive.py --ar AR --full FULL.a --out OUT.a BASE.a...
"""
import argparse
import os
import shutil
import subprocess
import sys


def members(ar, archive):
    return subprocess.run([ar, "t", archive], check=True, capture_output=True,
                          text=True).stdout.split()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ar", default="ar")
    parser.add_argument("--full", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("bases", nargs="+")
    args = parser.parse_args()

    full = members(args.ar, args.full)
    if len(set(full)) != len(full):
        sys.exit(f"subtract_archive: {args.full} holds two members with one name; "
                 "members are removed by name, so rename one of the sources")
    drop = set()
    for base in args.bases:
        drop.update(members(args.ar, base))
    tmp = args.out + ".tmp"
    shutil.copyfile(args.full, tmp)
    doomed = [m for m in full if m in drop]
    if doomed:
        subprocess.run([args.ar, "d", tmp] + doomed, check=True)
    subprocess.run([args.ar, "s", tmp], check=True)
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()

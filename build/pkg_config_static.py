#!/usr/bin/env python3
"""Prints, as a GN list for `libs`, the static link closure of pkg-config packages.

Usage (from GN): exec_script("//build/pkg_config_static.py", [ "absl_status", ... ], "list lines")

Each `-lNAME` of `pkg-config --static --libs-only-l` becomes ":libNAME.a" (link the static
archive) when the package's library directory has one, and "NAME" (the shared library, e.g.
-lrt, -latomic) otherwise. Abseil's closure differs between releases (Debian 12's 20220623 has
35 archives, unstable's 20260526 43), so it is asked for, not written down.
"""
import os
import subprocess
import sys


def main(packages):
    flags = subprocess.run(["pkg-config", "--static", "--libs-only-l", *packages], check=True,
                           capture_output=True, text=True).stdout.split()
    dirs = subprocess.run(["pkg-config", "--variable=libdir", packages[0]], check=True,
                          capture_output=True, text=True).stdout.split()
    dirs += ["/usr/lib/x86_64-linux-gnu", "/usr/lib"]
    seen = []
    for flag in flags:
        if not flag.startswith("-l"):
            continue
        name = flag[2:]
        archive = f"lib{name}.a"
        lib = f":{archive}" if any(os.path.exists(os.path.join(d, archive)) for d in dirs) and \
            name not in ("rt", "atomic", "pthread", "m", "dl") else name
        if lib not in seen:
            seen.append(lib)
    print("\n".join(sorted(seen)))


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/env python3
"""Runs a built executable (path relative to the build folder) with arguments, passing its exit
code on. GN actions need a script; this is the one that runs the project's own tools."""
import os
import subprocess
import sys

sys.exit(subprocess.call([os.path.abspath(sys.argv[1])] + sys.argv[2:]))

#!/usr/bin/env python3
"""Runs protoc with the given arguments (GN actions need a script)."""
import subprocess
import sys

sys.exit(subprocess.call(["protoc"] + sys.argv[1:]))

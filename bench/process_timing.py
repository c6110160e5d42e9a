#!/usr/bin/env python3
"""Whole-process timings as medians of interleaved runs, for a noisy shared machine.

Usage:
  process_timing.py --runs 30 --json out.json NAME=COMMAND [NAME=COMMAND ...]

Each round runs every command once, in a fresh random order (seeded, so a run is repeatable),
which spreads the machine's drift over all commands alike; a first unmeasured round warms the
page cache. Per command it reports the median wall time and the median CPU time (user + system
of the child, from wait4), in milliseconds. Commands run with stdout/stderr to /dev/null and must
exit 0. COMMAND is split with shlex.
"""
import argparse
import json
import os
import random
import shlex
import statistics
import sys
import time


def run_once(argv):
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        start = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, os.environ,
                             file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1),
                                           (os.POSIX_SPAWN_DUP2, devnull, 2)])
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - start
    finally:
        os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"process_timing: {' '.join(argv)} exited with "
                 f"{os.waitstatus_to_exitcode(status)}")
    return wall * 1e3, (usage.ru_utime + usage.ru_stime) * 1e3


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="write {name: {wall_ms, cpu_ms, runs}} here")
    parser.add_argument("commands", nargs="+", metavar="NAME=COMMAND")
    args = parser.parse_args()

    commands = {}
    for spec in args.commands:
        name, _, command = spec.partition("=")
        argv = shlex.split(command)
        if not name or not argv:
            parser.error(f"expected NAME=COMMAND, got {spec!r}")
        argv[0] = os.path.abspath(argv[0]) if os.path.exists(argv[0]) else argv[0]
        if not os.path.isabs(argv[0]):
            from shutil import which
            argv[0] = which(argv[0]) or argv[0]
        commands[name] = argv

    rng = random.Random(args.seed)
    names = list(commands)
    for name in names:  # warm-up round, not measured
        run_once(commands[name])
    walls = {name: [] for name in names}
    cpus = {name: [] for name in names}
    for _ in range(args.runs):
        rng.shuffle(names)
        for name in names:
            wall, cpu = run_once(commands[name])
            walls[name].append(wall)
            cpus[name].append(cpu)

    result = {}
    for name in commands:
        result[name] = {
            "wall_ms": statistics.median(walls[name]),
            "cpu_ms": statistics.median(cpus[name]),
            "wall_ms_min": min(walls[name]),
            "runs": args.runs,
        }
        print(f"{name:28s} wall {result[name]['wall_ms']:8.2f} ms (min {min(walls[name]):7.2f})"
              f"   cpu {result[name]['cpu_ms']:8.2f} ms", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(result, out, indent=2, sort_keys=True)
            out.write("\n")


if __name__ == "__main__":
    main()

"""Runs both sides twice in quick mode under --icount; Aramid's results must agree within 1%, Linux's
within 3%.

Benchmarks a side skips (BENCH_SKIP) are left out of its comparison; each side must have measured
something, and the same benchmarks both times.
"""
import argparse
import json
import os
import subprocess
import sys

# Linux's thread cases (pthread_create_join, mutex_uncontended) move by 1-1.4% between two quick
# runs: its scheduler and timer interrupts land differently among a few hundred iterations even
# under icount. Aramid's figures repeat exactly, and stay held to 1%.
TOLERANCE = {"linux": 0.03, "aramid": 0.01}
SIDES = ("linux", "aramid")


def run(args, index):
    out = os.path.join(args.build, "bench-determinism-%d" % index)
    cmd = [sys.executable, args.bench_compare, "--quick", "--icount", "--out", out,
           "--build", args.build]
    print("running: " + " ".join(cmd), flush=True)
    if subprocess.run(cmd).returncode != 0:
        print("FAIL: bench-compare failed")
        sys.exit(1)
    with open(os.path.join(out, "results.json")) as f:
        rows = json.load(f)["results"]
    return {side: {row["benchmark"]: row[side]["ns_per_iteration"] for row in rows if row[side]}
            for side in SIDES}


def compare(side, first, second):
    """Prints each pair and its difference; returns the benchmarks further apart than allowed."""
    if set(first) != set(second) or not first:
        print("FAIL: %s: the two runs measured different benchmarks (%s / %s)" % (
            side, " ".join(sorted(first)), " ".join(sorted(second))))
        sys.exit(1)
    failures = []
    for name in first:
        deviation = abs(second[name] - first[name]) / first[name]
        print("%-7s %-18s %14.2f %14.2f %+.3f%%" % (
            side, name, first[name], second[name],
            100.0 * (second[name] - first[name]) / first[name]))
        if deviation > TOLERANCE[side]:
            failures.append("%s:%s" % (side, name))
    return failures


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bench-compare", required=True)
    p.add_argument("--build", required=True)
    args = p.parse_args()
    first, second = run(args, 1), run(args, 2)
    failures = []
    for side in SIDES:
        failures += compare(side, first[side], second[side])
    if failures:
        print("FAIL: further apart than allowed: %s" % " ".join(failures))
        sys.exit(1)
    print("ok: %s" % ", ".join("%d %s benchmarks within %g%%" % (
        len(first[side]), side, 100 * TOLERANCE[side]) for side in SIDES))


if __name__ == "__main__":
    main()

"""Runs the Linux side twice in quick mode under --icount; every result must agree within 1%."""
import argparse
import json
import os
import subprocess
import sys

TOLERANCE = 0.01


def run(args, index):
    out = os.path.join(args.build, "bench-determinism-%d" % index)
    cmd = [sys.executable, args.bench_compare, "--quick", "--icount", "--side", "linux",
           "--out", out, "--build", args.build]
    print("running: " + " ".join(cmd), flush=True)
    if subprocess.run(cmd).returncode != 0:
        print("FAIL: bench-compare failed")
        sys.exit(1)
    with open(os.path.join(out, "results.json")) as f:
        rows = json.load(f)["results"]
    return {row["benchmark"]: row["linux"]["ns_per_iteration"] for row in rows if row["linux"]}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bench-compare", required=True)
    p.add_argument("--build", required=True)
    args = p.parse_args()
    first, second = run(args, 1), run(args, 2)
    if set(first) != set(second) or not first:
        print("FAIL: the two runs measured different benchmarks")
        sys.exit(1)
    failures = []
    for name in first:
        deviation = abs(second[name] - first[name]) / first[name]
        print("%-18s %14.2f %14.2f %+.3f%%" % (name, first[name], second[name],
                                               100.0 * (second[name] - first[name]) / first[name]))
        if deviation > TOLERANCE:
            failures.append(name)
    if failures:
        print("FAIL: more than 1%% apart: %s" % " ".join(failures))
        sys.exit(1)
    print("ok: %d benchmarks within 1%%" % len(first))


if __name__ == "__main__":
    main()

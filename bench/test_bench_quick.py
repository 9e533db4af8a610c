"""Runs tools/bench-compare --quick --icount end to end and checks the outputs are complete and parse.

Asserts nothing about speed: both kernels booted (each side's BENCH_BEGIN names its system), every
benchmark printed exactly one BENCH or BENCH_SKIP with a reason on each side, Linux skipped only the
Aramid-only ones, Aramid measured its IPC cases, and results.md, results.csv, results.json and
ratios.png exist and parse.
"""
import argparse
import csv
import json
import os
import subprocess
import sys


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def check_log(path, names):
    """Each benchmark has exactly one BENCH (five fields, numbers) or BENCH_SKIP (with a reason)."""
    seen = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f.read().replace("\r", "").splitlines():
            words = line.split()
            if words and words[0] == "BENCH":
                if len(words) != 5 or not (words[2].isdigit() and words[3].isdigit()):
                    fail("malformed line in %s: %r" % (path, line))
                float(words[4])
                seen[words[1]] = seen.get(words[1], 0) + 1
            elif words and words[0] == "BENCH_SKIP":
                if len(words) < 3:
                    fail("BENCH_SKIP without a reason in %s: %r" % (path, line))
                seen[words[1]] = seen.get(words[1], 0) + 1
    for name in names:
        if seen.get(name) != 1:
            fail("%s: %s printed %d BENCH/BENCH_SKIP lines" % (path, name, seen.get(name, 0)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bench-compare", required=True)
    p.add_argument("--build", required=True)
    args = p.parse_args()
    out = os.path.join(args.build, "bench-quick")
    cmd = [sys.executable, args.bench_compare, "--quick", "--icount", "--out", out,
           "--build", args.build]
    print("running: " + " ".join(cmd), flush=True)
    if subprocess.run(cmd).returncode != 0:
        fail("bench-compare failed")

    with open(os.path.join(out, "results.json")) as f:
        results = json.load(f)
    rows = results["results"]
    names = [row["benchmark"] for row in rows]
    if len(names) < 40 or len(set(names)) != len(names):
        fail("results.json lists %d benchmarks (%d distinct)" % (len(names), len(set(names))))
    for row in rows:
        for side in ("linux", "aramid"):
            if row[side] is None and not row[side + "_skip"]:
                fail("%s: no %s result and no skip reason" % (row["benchmark"], side))
            if row[side + "_skip"] == "no output":
                fail("%s printed nothing on %s" % (row["benchmark"], side))
        if row["linux"] is None and row["linux_skip"] != "aramid only":
            fail("%s skipped on Linux: %s" % (row["benchmark"], row["linux_skip"]))
    meta = results["meta"]
    if not meta["linux_kernel_package"].startswith("linux-image-"):
        fail("kernel version not recorded: %r" % meta["linux_kernel_package"])
    if not (meta["linux_uname"] or "").startswith("Linux "):
        fail("the Linux side did not report its uname: %r" % meta["linux_uname"])
    if not (meta["aramid_uname"] or "").startswith("Aramid "):
        fail("the Aramid side did not boot or report its uname: %r (%s)" % (
            meta["aramid_uname"], meta["aramid_skip"]))
    for name in ("aramid_ipc_null", "aramid_ipc_4k"):
        row = rows[names.index(name)]
        if row["aramid"] is None:
            fail("%s skipped on Aramid: %s" % (name, row["aramid_skip"]))
    check_log(os.path.join(out, "linux.log"), names)
    check_log(os.path.join(out, "aramid.log"), names)

    with open(os.path.join(out, "results.csv"), newline="") as f:
        csv_rows = list(csv.DictReader(f))
    if [row["benchmark"] for row in csv_rows] != names:
        fail("results.csv does not list the same benchmarks as results.json")
    for row in csv_rows:
        for column in ("linux_ns_per_iteration", "aramid_ns_per_iteration", "ratio"):
            if row[column]:
                float(row[column])

    with open(os.path.join(out, "results.md")) as f:
        table = [line for line in f if line.startswith("| ")]
    if len(table) != len(names) + 2 or any(line.count("|") != 6 for line in table):
        fail("results.md: expected a 5-column table of %d rows" % len(names))
    if "Geometric mean of the ratios" not in open(os.path.join(out, "results.md")).read():
        fail("results.md has no geometric mean line")

    with open(os.path.join(out, "ratios.png"), "rb") as f:
        if f.read(8) != b"\x89PNG\r\n\x1a\n":
            fail("ratios.png is not a PNG")
    print("ok: %d benchmarks, outputs in %s" % (len(names), out))


if __name__ == "__main__":
    main()

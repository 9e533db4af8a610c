#!/usr/bin/env python3
"""Bench test: two quick --icount boots of bench_kernel.elf print a well-formed BENCH line for
every kernel benchmark and agree on ipc_null_roundtrip within 1% (figures are not asserted)."""
import concurrent.futures
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "tests", "system"))
from harness import boot, expect, expect_root_task_exit, parse_args  # noqa: E402

EXPECTED = ["null_syscall", "ipc_null_roundtrip", "ipc_64b_roundtrip", "ipc_4k_roundtrip",
            "thread_switch_same_space", "switch_between_spaces", "space_clone_base",
            "space_clone_1m", "space_clone_64m", "demand_zero_fault",
            "vm_map_among_few", "vm_map_among_many"]
BENCH_LINE = re.compile(r"^BENCH (\S+) (\d+) (\d+) (\d+)\.(\d\d)$", re.M)


def quick_run(args):
    return boot(args, cmdline="bench=quick", timeout=240, extra=["--icount"],
                modules=[(args.program, "bench_kernel")])


def check_run(result):
    """Returns {name: ns per iteration} after checking every line of the run."""
    expect_root_task_exit(result, 0)
    expect("bench-kernel: mode quick" in result.output, "quick mode not selected", result)
    found = {}
    for match in BENCH_LINE.finditer(result.output):
        name, iterations, total = match.group(1), int(match.group(2)), int(match.group(3))
        per = int(match.group(4)) + int(match.group(5)) / 100
        expect(name not in found, "%s printed twice" % name, result)
        expect(iterations > 0 and total > 0, "%s: empty measurement" % name, result)
        expect(abs(per - total / iterations) < 0.011, "%s: per-iteration figure does not match"
               % name, result)
        found[name] = per
    for name in EXPECTED:
        expect(name in found, "no well-formed BENCH line for %s" % name, result)
    return found


def main():
    args = parse_args()
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: quick_run(args), range(2)))
    first, second = (check_run(result) for result in results)
    a, b = first["ipc_null_roundtrip"], second["ipc_null_roundtrip"]
    expect(abs(a - b) <= 0.01 * min(a, b),
           "ipc_null_roundtrip differs by more than 1%%: %.2f vs %.2f" % (a, b), results[1])
    print("bench kernel: ok (ipc_null_roundtrip %.2f and %.2f instructions)" % (a, b))


if __name__ == "__main__":
    sys.exit(main())

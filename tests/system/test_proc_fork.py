#!/usr/bin/env python3
"""System test: under init and proc, 1,000 fork+exit+wait rounds, a fork tree 4 deep and
copy-on-write isolation between parent and child."""
import sys

from harness import boot_init, expect, expect_init_exit, parse_args


def main():
    args = parse_args()
    result = boot_init(args, "proc_test fork", timeout=240)
    expect("proc_test: FAIL" not in result.output, "a check failed", result)
    for line in ["1000 fork+exit+wait ok", "fork tree 4 deep ok (8 leaves)",
                 "copy-on-write isolation ok", "fork checks passed"]:
        expect("proc_test: " + line in result.output, "missing: " + line, result)
    expect_init_exit(result, 0)
    print("proc fork: ok")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""System test: garbage messages to proc's endpoint (unknown labels, lying buffer lengths,
malformed strings, bad addresses, stray handles, 3,000 random requests) all get errors and proc
keeps serving."""
import sys

from harness import boot_init, expect, expect_init_exit, parse_args


def main():
    args = parse_args()
    result = boot_init(args, "proc_hostile", timeout=120)
    expect("hostile: FAIL" not in result.output, "a check failed", result)
    expect("hostile: all checks passed" in result.output, "no summary line", result)
    expect("proc: receive failed" not in result.output, "proc stopped", result)
    expect_init_exit(result, 0)
    print("proc hostile: ok")


if __name__ == "__main__":
    sys.exit(main())

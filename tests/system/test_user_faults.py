#!/usr/bin/env python3
"""System test: fault_null.elf's children read address 0, write to the kernel image and jump to a
non-canonical address; each is killed with exit code 139 (128 + SIGSEGV's 11), the parent lives
on, and the kernel itself never faults."""
import sys

from harness import boot, expect, expect_root_task_exit, parse_args

CASES = ["read of address 0", "write to 0xffffffff80100000", "jump to 0x0000800000000000"]


def main():
    args = parse_args()
    result = boot(args, modules=[(args.program, "fault_null")])
    for case in CASES:
        expect("fault child: " + case in result.output, "child did not start: " + case, result)
        expect("faults: child with %s: exit code 139" % case in result.output,
               "child not killed with 139: " + case, result)
        expect("fault child: survived the " + case not in result.output,
               "child survived: " + case, result)
    expect("faults: 3 children killed with code 139, parent alive" in result.output,
           "no summary line", result)
    expect_root_task_exit(result, 0)
    print("user faults: ok")


if __name__ == "__main__":
    sys.exit(main())

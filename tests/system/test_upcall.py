#!/usr/bin/env python3
"""System test: upcall.elf checks upcall delivery when a system call returns, -EINTR for an
interrupted sleep and IPC wait, registers and SSE state kept across an upcall into busy code,
refused upcall_return/upcall_set arguments, and a process with no stack room for the frame killed
with 139 while the system goes on."""
import sys

from harness import boot, expect, expect_root_task_exit, parse_args


def main():
    args = parse_args()
    result = boot(args, modules=[(args.program, "upcall")], timeout=120)
    expect("upcall: FAIL" not in result.output, "a check failed", result)
    expect("upcall: all checks passed" in result.output, "no summary line", result)
    expect("killed: no room for an upcall frame" in result.output, "child not killed", result)
    expect_root_task_exit(result, 0)
    print("upcall: ok")


if __name__ == "__main__":
    sys.exit(main())

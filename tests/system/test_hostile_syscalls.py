#!/usr/bin/env python3
"""System test: hostile_syscalls.elf calls every system call first with valid arguments (it must
succeed), then with each invalid handle, pointer, address, length and flag (it must fail with
exactly that value's errno), and unknown numbers (-ENOSYS); the kernel survives, and the program
exits 0."""
import re
import sys

from harness import boot, expect, expect_root_task_exit, parse_args


def main():
    args = parse_args()
    result = boot(args, modules=[(args.program, "hostile_syscalls")], timeout=120)
    expect("hostile: FAIL" not in result.output, "a call did not get exactly its result", result)
    summary = re.search(r"hostile: (\d+) calls, each good call succeeded and each bad one got "
                        r"its errno", result.output)
    expect(summary is not None and int(summary.group(1)) >= 250, "no summary line", result)
    expect("not -ENOSYS" in result.output and ", 0 not -ENOSYS" in result.output,
           "unknown system calls not all -ENOSYS", result)
    expect_root_task_exit(result, 0)
    print("hostile syscalls: ok (%s calls)" % summary.group(1))


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""System test: the kernel starts hello.elf as the root task; it prints its greeting, finds the
bootinfo magic and its own module, and its exit code 0 becomes the machine's."""
import re
import sys

from harness import boot, expect, expect_root_task_exit, parse_args


def main():
    args = parse_args()
    result = boot(args, cmdline="user-test", modules=[(args.program, "hello")])
    expect("hello from user space" in result.output, "no greeting from user space", result)
    expect("hello: bootinfo magic ok" in result.output, "bootinfo magic not confirmed", result)
    expect(re.search(r"hello: module \d+ 'hello' \d+ bytes", result.output),
           "the module list lacks 'hello'", result)
    expect("hello: cmdline 'user-test'" in result.output, "the command line did not arrive",
           result)
    expect_root_task_exit(result, 0)
    print("user hello: ok")


if __name__ == "__main__":
    sys.exit(main())

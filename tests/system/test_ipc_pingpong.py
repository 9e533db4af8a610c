#!/usr/bin/env python3
"""System test: ipc_pingpong.elf spawns a copy of itself as a server and checks 100,000 register
round trips and buffer messages of up to 4096 bytes; it must exit 0."""
import sys

from harness import boot, expect, expect_root_task_exit, parse_args


def main():
    args = parse_args()
    result = boot(args, modules=[(args.program, "ipc_pingpong")], timeout=240)
    expect("pingpong: 100000 round trips ok" in result.output, "round trips not confirmed",
           result)
    expect("pingpong: buffer messages of 1, 64, 100, 4095 and 4096 bytes ok" in result.output,
           "buffer messages not confirmed", result)
    expect_root_task_exit(result, 0)
    print("ipc pingpong: ok")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""System test: preempt.elf's main thread never yields, yet sees its spinning second thread's
counter advance: the timer preempts user threads (one CPU)."""
import sys

from harness import boot, expect, expect_root_task_exit, parse_args


def main():
    args = parse_args()
    result = boot(args, modules=[(args.program, "preempt")], timeout=120)
    expect("preempt: counter advanced 20 times while the main thread never yielded"
           in result.output, "no preemption observed", result)
    expect_root_task_exit(result, 0)
    print("preempt: ok")


if __name__ == "__main__":
    sys.exit(main())

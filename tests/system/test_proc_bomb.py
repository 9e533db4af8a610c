#!/usr/bin/env python3
"""System test: a fork bomb (every process forks until refused) stops at proc's process limit
with EAGAIN; kill(-1, SIGKILL) ends it, init reaps the orphans and fork works again."""
import sys

from harness import boot_init, expect, expect_init_exit, parse_args


def main():
    args = parse_args()
    result = boot_init(args, "proc_test bomb", timeout=180)
    expect("proc_test: FAIL" not in result.output, "a check failed", result)
    expect("fork bomb stopped by the process limit with EAGAIN, system up" in result.output, "bomb not confirmed", result)
    expect("init: reaped orphan" in result.output, "init reaped no orphan of the bomb", result)
    expect_init_exit(result, 0)
    print("proc bomb: ok")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""System test: wait statuses for exit codes 0, 1, 42, 255, a plain process_exit, SIGSEGV (a
child touching NULL), SIGKILL and SIGTERM (kill); ESRCH, EINVAL, EPERM, ECHILD, WNOHANG; an
orphan re-parented to init and reaped by it."""
import re
import sys

from harness import boot_init, expect, expect_init_exit, parse_args


def main():
    args = parse_args()
    result = boot_init(args, "proc_test wait", timeout=120)
    expect("proc_test: FAIL" not in result.output, "a check failed", result)
    expect("proc_test: wait statuses ok" in result.output, "statuses not confirmed", result)
    expect("proc_test: a child cannot switch off proc's watch of its exit" in result.output,
           "exit watch not confirmed", result)
    expect("proc_test: ESRCH, EINVAL, EPERM, ECHILD, WNOHANG ok" in result.output,
           "errors not confirmed", result)
    match = re.search(r"proc_test: orphan (\d+) re-parented to init and reaped", result.output)
    expect(match is not None, "orphan not confirmed", result)
    expect("init: reaped orphan %s (status 0x700)" % match.group(1) in result.output,
           "init did not report reaping the orphan", result)
    expect_init_exit(result, 0)
    print("proc wait: ok")


if __name__ == "__main__":
    sys.exit(main())

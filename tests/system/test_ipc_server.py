#!/usr/bin/env python3
"""System test: ipc_server.elf (root task) checks IPC for real servers: 100 kept calls answered
in reverse order, a server's death waking every held caller with -EPIPE (and its endpoint
serving again behind a new server), a dead caller's reply being inert, cancellation of a held
call by a signal and by a deadline, deadlines on calls, waits, sleeps and timers firing within
one timer tick, notification children, minted badges, inherited handles and identity across
process_exec, and the regression test for the old reply-link use-after-free. Booted with the
instruction-counted clock, so that the timing checks do not depend on the host's load."""
import sys

from harness import boot, expect, expect_root_task_exit, parse_args

CHECKS = [
    "100 kept calls answered in reverse order ok",
    "server death wakes held callers with -EPIPE, endpoint outlives it ok",
    "a dead caller's reply is inert and the server goes on ok",
    "a signal and a deadline cancel a held call, answered once ok",
    "deadlines on calls, waits, sleeps and timers within one tick ok",
    "notification children report once each with their keys ok",
    "minted badges ok",
    "inherited handles and identity across process_exec ok",
    "reply-link regression: no leak, no use after free ok",
]


def main():
    args = parse_args()
    result = boot(args, modules=[(args.program, "ipc_server")], timeout=240, extra=["--icount"])
    expect("ipc: FAIL" not in result.output, "a check failed", result)
    for check in CHECKS:
        expect("ipc: " + check in result.output, "missing: " + check, result)
    expect("ipc: all checks passed" in result.output, "no summary line", result)
    expect_root_task_exit(result, 0)
    print("ipc server: ok")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""System test: kernel_core.elf checks, from user space, preemption between two CPU-bound
processes, -EPIPE when a server or an endpoint's owner dies, notifications alone and bound to an
IPC wait, a reply to a killed caller being dropped, copy-on-write isolation after space_clone,
a write to read-only memory killing only its process, kernel stacks reused from the per-CPU
cache, and demand-zero frames taken on touch and returned on unmap."""
import sys

from harness import boot, expect, expect_root_task_exit, parse_args

CHECKS = [
    "preemption between processes ok",
    "server death gives -EPIPE ok",
    "endpoint owner death gives -EPIPE ok",
    "notifications (alone and bound) and dropped replies ok",
    "copy-on-write isolation and read-only faults ok",
    "killed process waiters release what they waited on",
    "kernel stack cache ok",
    "demand-zero pages ok",
    "process_stop and vm_read ok",
]


def main():
    args = parse_args()
    result = boot(args, modules=[(args.program, "kernel_core")], timeout=120)
    expect("core: FAIL" not in result.output, "a check failed", result)
    for check in CHECKS:
        expect("core: " + check in result.output, "missing: " + check, result)
    expect("core: all checks passed" in result.output, "no summary line", result)
    expect_root_task_exit(result, 0)
    print("kernel core: ok")


if __name__ == "__main__":
    sys.exit(main())

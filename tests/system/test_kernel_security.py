#!/usr/bin/env python3
"""System test: kernel_security.elf re-runs issue 11's attacks on the kernel: vm_protect beyond
the rights of the mapped object (the information page, a READ|MAP module image, EXEC without
EXECUTE) gets -EACCES; processes that never run give back what was granted to them (free
frames and kernel heap pages return); a watched process cannot switch off its watcher's exit
notification, and process_notify_exit needs MANAGE; killing or exec'ing a process that shares
the caller's address space leaves the caller running; a 1 MiB vm_write restarts in bounded pieces
and lands whole, debug_write writes at most 8 KiB per call, and unmap frees emptied page
tables; a child under a memory quota gets -ENOMEM for mappings and objects past it, and its
room back after unmap; when frames run out, the process with the most memory charged is killed
(SIGKILL) and the bystander whose fault found no frame finishes; a process gets -EAGAIN past
256 live threads; page tables and regions (one object page mapped every 2 MiB) are charged to
the quota (-ENOMEM after a few dozen, room back after unmap), and so are threads (-EAGAIN under
a small quota long before 256); a system process (a server) that faults while holding a call:
the call and later ones get -EPIPE, the console names it, and another child still runs."""
import re
import sys

from harness import boot, expect, expect_root_task_exit, parse_args

CHECKS = [
    "protect keeps each mapping within its object's rights ok",
    "never-run processes release their handles ok",
    "exit watch needs MANAGE and survives the watched process ok",
    "killing or exec'ing a process sharing the caller's space ok",
    "long vm_write and debug_write bounded, page tables freed ok",
    "memory quota gives -ENOMEM past its limit ok",
    "out of memory kills the largest process, not the bystander ok",
    "threads per process bounded with -EAGAIN ok",
    "page tables, regions, threads, endpoints and notifications charged to the quota ok",
    "a dying server's callers get -EPIPE and the console names it ok",
]


def main():
    args = parse_args()
    result = boot(args, modules=[(args.program, "kernel_security")], timeout=120)
    expect("security: FAIL" not in result.output, "a check failed", result)
    for check in CHECKS:
        expect("security: " + check in result.output, "missing: " + check, result)
    expect("security: all checks passed" in result.output, "no summary line", result)
    expect("oom: no free frame for process" in result.output, "no OOM kill reported", result)
    expect(re.search(r"kernel: system process \d+ \(sec-server\) ended: killed by signal 11",
                     result.output) is not None, "the dead server not named", result)
    expect_root_task_exit(result, 0)
    print("kernel security: ok")


if __name__ == "__main__":
    sys.exit(main())

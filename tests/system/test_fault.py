#!/usr/bin/env python3
"""System test: a deliberate kernel fault (fault=KIND on the command line) prints the vector,
the registers, CR2 and a backtrace naming the faulting function, and exits with code 2."""
import re
import sys

from harness import boot, expect, parse_args

KERNEL_EXIT_FAULT = 2
CASES = {
    "pagefault": (14, "page fault", "fault_inject_page_fault"),
    "gp": (13, "general protection", "fault_inject_general_protection"),
    "ud": (6, "invalid opcode", "fault_inject_invalid_opcode"),
    "divide": (0, "divide error", "fault_inject_divide"),
}


def main():
    args = parse_args()
    for kind, (vector, name, function) in CASES.items():
        result = boot(args, cmdline="fault=" + kind)
        expect(result.code == KERNEL_EXIT_FAULT,
               "%s: exit code %d, expected %d" % (kind, result.code, KERNEL_EXIT_FAULT), result)
        expect("kernel fault: vector %d (%s)" % (vector, name) in result.output,
               "%s: no fault line for vector %d" % (kind, vector), result)
        for register in ["rip", "rsp", "cr2", "cr3", "rax", "r15"]:
            expect(re.search(r"\b%s +[0-9a-f]{4,16}\b" % register, result.output),
                   "%s: register %s not dumped" % (kind, register), result)
        frames = re.findall(r"#(\d+) +[0-9a-f]{16} (\S+)", result.output)
        expect(frames and frames[0][1].startswith(function + "+"),
               "%s: frame #0 does not name %s: %r" % (kind, function, frames), result)
        expect(any(f[1].startswith("kernel_main+") for f in frames),
               "%s: backtrace does not reach kernel_main: %r" % (kind, frames), result)
        if kind == "pagefault":
            expect("cr2 0000100000000000" in result.output, "pagefault: wrong cr2", result)
        print("fault %s: ok" % kind)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""System test: init ends the run with its program's exit code: proc_echo exits 0, proc_test
with an unknown mode 100, proc_test segv dies by SIGSEGV (128 + 11); without run= or with a
missing program init exits 127."""
import sys

from harness import boot, boot_init, expect, expect_init_exit, parse_args


def main():
    args = parse_args()
    result = boot_init(args, "proc_echo one two", timeout=60)
    expect("echo: argv[2]=two" in result.output, "argv not passed", result)
    expect_init_exit(result, 0)
    result = boot_init(args, "proc_test no_such_mode", timeout=60)
    expect_init_exit(result, 100)
    result = boot_init(args, "proc_test segv", timeout=60)
    expect("init: proc_test exited with status 0xb, exit code 139" in result.output,
           "SIGSEGV not reported", result)
    expect_init_exit(result, 139)
    result = boot(args, cmdline="init=init", timeout=60, modules=[(args.init, "init")])
    expect("init: no program to run" in result.output, "no complaint without run=", result)
    expect(result.code == 127, "exit code %d without run=, expected 127" % result.code, result)
    result = boot_init(args, "no_such_program", timeout=60)
    expect(result.code == 127, "exit code %d for a missing program" % result.code, result)
    print("init exit codes: ok")


if __name__ == "__main__":
    sys.exit(main())

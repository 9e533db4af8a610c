#!/usr/bin/env python3
"""System test: execve of another module with argv and envp (pid and parent kept), and execve of
a missing module (ENOENT), of a data module (ENOEXEC) and with too much argv (E2BIG), the
caller surviving each."""
import sys

from harness import boot_init, expect, expect_init_exit, parse_args


def main():
    args = parse_args()
    result = boot_init(args, "proc_test exec", timeout=120)
    expect("proc_test: FAIL" not in result.output, "a check failed", result)
    for line in ["echo: argc=3", "echo: argv[0]=proc_echo", "echo: argv[1]=hello world",
                 "echo: argv[2]=second", "echo: envp[0]=ALPHA=1", "echo: envp[1]=BETA=two words",
                 "proc_test: exec with argv and envp ok",
                 "proc_test: execve ENOENT, ENOEXEC, E2BIG ok, caller survives"]:
        expect(line in result.output, "missing: " + line, result)
    expect_init_exit(result, 0)
    print("proc exec: ok")


if __name__ == "__main__":
    sys.exit(main())

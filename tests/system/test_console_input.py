#!/usr/bin/env python3
"""System test: console input. console_input.elf (root task) checks console_read and
console_bind with good and hostile arguments, then reads a line this test types on the serial
line (QEMU's stdin); with console_input=off it gets no console handle."""
import subprocess
import sys
import time

from harness import BootResult, boot, expect, expect_root_task_exit, parse_args


def boot_typing(args, text, timeout=60):
    """Boots the program with the serial console on a pipe; types text once the program says
    it is ready."""
    cmd = [sys.executable, args.runner, "--iso", args.iso, "--timeout", str(timeout),
           "--stdin", "--module", "%s:console_input" % args.program]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    output = b""
    typed = False
    deadline = time.monotonic() + timeout + 30
    while time.monotonic() < deadline:
        chunk = proc.stdout.read1(65536)
        if not chunk:
            break
        output += chunk
        if not typed and b"type a line" in output:
            proc.stdin.write(text)
            proc.stdin.flush()
            typed = True
    proc.stdin.close()
    code = proc.wait()
    return BootResult(code, output.decode("utf-8", "replace").replace("\r", ""))


def main():
    args = parse_args()
    result = boot_typing(args, b"typed at the console\r")
    expect("console: input on COM1" in result.output, "the kernel did not enable input", result)
    expect("rows done, 0 failures" in result.output, "a hostile row failed", result)
    expect("console_input: read 'typed at the console'" in result.output,
           "the typed line did not arrive", result)
    expect("FAIL" not in result.output, "a check failed", result)
    expect_root_task_exit(result, 0)

    off = boot(args, cmdline="console_input=off", modules=[(args.program, "console_input")])
    expect("console: input off" in off.output, "console_input=off not reported", off)
    expect("no console handle (0)" in off.output, "a console handle with input off", off)
    expect_root_task_exit(off, 1)
    print("console input: ok")


if __name__ == "__main__":
    sys.exit(main())

"""Helpers for system tests: boot the ISO through tools/run and inspect the serial output."""
import argparse
import subprocess
import sys


class BootResult:
    def __init__(self, code, output):
        self.code = code
        self.output = output


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--runner", required=True)
    p.add_argument("--iso", required=True)
    return p.parse_args()


def boot(args, cmdline="", timeout=60, extra=()):
    cmd = [sys.executable, args.runner, "--iso", args.iso, "--timeout", str(timeout),
           "--cmdline", cmdline] + list(extra)
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=timeout + 30)
    return BootResult(proc.returncode, proc.stdout.decode("utf-8", "replace").replace("\r", ""))


def expect(condition, message, result):
    if not condition:
        print("FAIL: " + message)
        print("---- serial output ----")
        print(result.output)
        sys.exit(1)

"""Helpers for system tests: boot the ISO through tools/run and inspect the serial output."""
import argparse
import re
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
    p.add_argument("--program", help="a user program (ELF) for tests that boot one as root task")
    p.add_argument("--init", help="servers/init.elf, for tests that run programs under init+proc")
    p.add_argument("--proc", help="servers/proc.elf")
    p.add_argument("--module", action="append", default=[], metavar="HOST:NAME",
                   help="a further boot module (repeatable)")
    return p.parse_args()


def boot(args, cmdline="", timeout=60, extra=(), modules=()):
    """Boots the ISO; modules are (host path, module name) pairs loaded after the kernel
    symbols, the first of them being the root task."""
    cmd = [sys.executable, args.runner, "--iso", args.iso, "--timeout", str(timeout),
           "--cmdline", cmdline]
    for path, name in modules:
        cmd += ["--module", "%s:%s" % (path, name)]
    cmd += list(extra)
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=timeout + 30)
    return BootResult(proc.returncode, proc.stdout.decode("utf-8", "replace").replace("\r", ""))


def boot_init(args, run, timeout=60):
    """Boots init (the root task) and proc with the --module modules; init runs `run`
    ("NAME ARGS...") under proc and ends the machine with its exit code."""
    modules = [(args.init, "init"), (args.proc, "proc")]
    modules += [tuple(spec.rsplit(":", 1)) for spec in args.module]
    return boot(args, cmdline="init=init run=" + run, timeout=timeout, modules=modules)


def expect_init_exit(result, code=0):
    """init ended the run with code (machine_exit) and the kernel did not fault."""
    expect("machine exit requested with code %d" % code in result.output,
           "init did not end the machine with code %d" % code, result)
    expect(result.code == code, "machine exit code %d, expected %d" % (result.code, code), result)
    expect("kernel fault" not in result.output, "the kernel faulted", result)
    expect("kernel panic" not in result.output, "the kernel panicked", result)


def root_task_code(result):
    """The N of the kernel's "root task exited with code N" line, or None."""
    match = re.search(r"root task exited with code (-?\d+)", result.output)
    return int(match.group(1)) if match else None


def expect_root_task_exit(result, code=0):
    """The root task exited with code, the machine exited with it, and the kernel did not fault."""
    expect(root_task_code(result) == code,
           "no 'root task exited with code %d' line" % code, result)
    expect(result.code == code, "machine exit code %d, expected %d" % (result.code, code), result)
    expect("kernel fault" not in result.output, "the kernel faulted", result)
    expect("kernel panic" not in result.output, "the kernel panicked", result)


def expect(condition, message, result):
    if not condition:
        print("FAIL: " + message)
        print("---- serial output ----")
        print(result.output)
        sys.exit(1)

#!/usr/bin/env python3
"""README command 1's system, typed at as a person would (pexpect on a pseudo-terminal): the
boot reaches dash's prompt with the motd, a pipeline runs, backspace erases, files written to
/tmp read back, `exit 3` ends the machine with code 3, and poweroff with code 0.

usage: test_boot_shell.py --run tools/run --build BUILD"""
import argparse
import os
import sys

try:
    import pexpect
except ImportError:
    print("SKIP: python3-pexpect is missing (tools/setup installs it)")
    sys.exit(77)

PROMPT = "aramid\\$ "


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--run", required=True)
    p.add_argument("--build", required=True)
    args = p.parse_args()
    b = args.build
    command = [args.run, "--timeout", "200", "--cmdline", "init=init run=sh -l",
               "--module", os.path.join(b, "servers", "init.elf") + ":init",
               "--module", os.path.join(b, "servers", "proc.elf") + ":proc",
               "--module", os.path.join(b, "servers", "vfs.elf") + ":vfs",
               "--module", os.path.join(b, "rootfs.cpio") + ":initrd",
               "--module", os.path.join(b, "servers", "event.elf") + ":event",
               "--module", os.path.join(b, "servers", "sock.elf") + ":sock",
               "--module", os.path.join(b, "servers", "ipc.elf") + ":ipc",
               "--module", os.path.join(b, "rootfs", "bin", "sh") + ":sh"]
    try:
        child = pexpect.spawn(sys.executable, command, encoding="utf-8", timeout=120,
                              dimensions=(40, 120))
    except (OSError, pexpect.ExceptionPexpect) as error:
        # A root without /dev/pts (fresh-machine.sh's chroot) has no pseudo-terminals.
        print("SKIP: no pseudo-terminal: %s" % error)
        return 77
    try:
        child.expect("Welcome to Aramid")
        child.expect(PROMPT)
        child.sendline("printf 'b\\na\\n' | sort | tr a-z A-Z | head -1")
        child.expect(r"[\r\n]+A[\r\n]+")
        child.expect(PROMPT)
        child.send("echo abx\x7fc\r")  # DEL erases the x
        child.expect(r"[\r\n]+abc[\r\n]+")
        child.expect(PROMPT)
        child.sendline("echo kept > /tmp/note && cat /tmp/note && ls /tmp")
        child.expect(r"[\r\n]+kept[\r\n]+note[\r\n]+")
        child.expect(PROMPT)
        child.sendline("exit 3")
        child.expect(pexpect.EOF)
    except (pexpect.TIMEOUT, pexpect.EOF) as error:
        print("FAIL: %s\n--- console so far:\n%s" % (type(error).__name__, child.before))
        return 1
    child.close()
    if child.exitstatus != 3:
        print("FAIL: the machine ended with %s, not 3" % child.exitstatus)
        return 1
    # busybox's poweroff signals init; the system shuts down and the machine exits with 0.
    child = pexpect.spawn(sys.executable, command, encoding="utf-8", timeout=120,
                          dimensions=(40, 120))
    try:
        child.expect(PROMPT)
        child.sendline("poweroff")
        child.expect(pexpect.EOF)
    except (pexpect.TIMEOUT, pexpect.EOF) as error:
        print("FAIL: poweroff: %s\n--- console so far:\n%s" % (type(error).__name__, child.before))
        return 1
    child.close()
    if child.exitstatus != 0:
        print("FAIL: poweroff ended the machine with %s, not 0" % child.exitstatus)
        return 1
    print("boot shell: prompt, pipeline, erase, /tmp, exit and poweroff ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""README command 1's system, typed at as a person would (pexpect on a pseudo-terminal): the
boot reaches dash's prompt with the motd, a pipeline runs, backspace erases, ^C interrupts
`sleep 100` (the vfs's terminal sends SIGINT to the foreground group while nobody reads) and
a half-typed line, ^Z stops `sleep 100` (jobs and ps show it stopped) and fg resumes it, a background
`cat` stops on SIGTTIN and reads once in the foreground, `ps` lists the shell and itself, `df` prints /, /tmp and their sizes, files
written to /tmp read back, `exit 3` ends the machine with code 3, and poweroff with code 0.

usage: test_boot_shell.py --run tools/run --build BUILD"""
import argparse
import os
import sys
import time

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
        # ^C while sleep runs and nobody reads the terminal: SIGINT to the foreground group.
        child.sendline("sleep 100")
        child.expect("sleep 100[\r\n]+")
        time.sleep(1.5)
        child.send("\x03")
        child.expect(PROMPT, timeout=20)
        child.sendline("echo status $?")
        child.expect(r"status 130[\r\n]+")
        child.expect(PROMPT)
        # ^Z stops sleep (SIGTSTP to its group), jobs lists it, ps shows it stopped, fg
        # continues it in the foreground and ^C ends it.
        child.sendline("sleep 100")
        child.expect("sleep 100[\r\n]+")
        time.sleep(1.5)
        child.send("\x1a")
        child.expect(r"\[1\] \+ Stopped +sleep 100[\r\n]+")
        child.expect(PROMPT)
        child.sendline("jobs")
        child.expect(r"\[1\] \+ Stopped +sleep 100[\r\n]+")
        child.expect(PROMPT)
        child.sendline("ps")
        child.expect(r" +\d+ root +0 T\S* +sleep 100[\r\n]+")
        child.expect(PROMPT)
        child.sendline("fg")
        child.expect("sleep 100[\r\n]+")
        time.sleep(1.5)
        child.send("\x03")
        child.expect(PROMPT, timeout=20)
        child.sendline("echo status $?; jobs")
        child.expect(r"status 130[\r\n]+")
        child.expect(PROMPT)
        if "Stopped" in child.before:
            print("FAIL: the job is still listed:\n%s" % child.before)
            return 1
        # A background reader of the terminal gets SIGTTIN and stops; fg lets it read.
        child.sendline("cat &")
        child.expect(PROMPT)
        time.sleep(1.5)
        child.sendline("jobs")
        child.expect(r"\[1\] \+ Stopped \(tty input\) +cat[\r\n]+")
        child.expect(PROMPT)
        child.sendline("fg")
        child.expect("cat[\r\n]+")
        time.sleep(1)
        child.sendline("typed to cat")
        child.expect(r"typed to cat[\r\n]+typed to cat[\r\n]+")
        child.send("\x04")
        child.expect(PROMPT)
        child.send("echo never run\x03")  # ^C drops the line being edited
        child.expect(PROMPT)
        child.sendline("echo next")
        child.expect(r"[\r\n]+next[\r\n]+")
        child.expect(PROMPT)
        # ps reads /proc (the vfs fills it from proc's process list).
        child.sendline("ps")
        # (busybox's ps built without options prints no header)
        child.expect(r" +1 root .* init[\r\n]+")
        child.expect(r" +2 root .* sh -l[\r\n]+")
        child.expect(r" +\d+ root +0 R\S* +ps[\r\n]+")  # W: no size known (vsz 0)
        child.expect(PROMPT)
        # df reads /proc/mounts and statfs: / and /tmp (its 32 MiB limit), not /proc.
        child.sendline("df")
        child.expect(r"Filesystem +1K-blocks +Used +Available +Use% +Mounted on[\r\n]+")
        child.expect(r"rootfs +\d+ +\d+ +\d+ +\d+% /[\r\n]+")
        child.expect(r"tmpfs +32768 +\d+ +\d+ +\d+% /tmp[\r\n]+")
        child.expect(PROMPT)
        output = child.before
        if "/proc" in output:
            print("FAIL: df shows /proc:\n%s" % output)
            return 1
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

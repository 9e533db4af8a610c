#!/usr/bin/env python3
"""Interactive console test: types at a program run by aramid-run on a pseudo-terminal
(pexpect), as a person would. The prompt appears, typed lines are echoed and read back,
backspace (DEL), ^U and ^W erase, ^D is end of file, ^C interrupts a read with a handler
(EINTR) and, with the default action, ends the program with status 130; raw mode reads single
bytes without echo, and VTIME ends a read with nothing typed. usage: test_console_interactive.py --sdk DIR --source DIR"""
import argparse
import os
import sys
import tempfile

try:
    import pexpect
except ImportError:  # tools/setup installs python3-pexpect
    print("SKIP: no pexpect")
    sys.exit(77)


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--sdk", required=True)
    p.add_argument("--source", required=True, help="tests/sdk, where console.c is")
    return p.parse_args()


def fail(child, message):
    print("FAIL: %s\n---- seen so far ----\n%s" % (message, child.before))
    sys.exit(1)


def expect_exact(child, text, what):
    try:
        child.expect_exact(text)
    except (pexpect.TIMEOUT, pexpect.EOF):
        fail(child, what)


def main():
    args = parse_args()
    try:  # a chroot without /dev/pts has no pseudo-terminals (tests/sdk can do nothing about it)
        for fd in os.openpty():
            os.close(fd)
    except OSError as error:
        print("SKIP: no pseudo-terminal (%s; is /dev/pts mounted?)" % error)
        return 77
    with tempfile.TemporaryDirectory(prefix="aramid-console-") as directory:
        program = os.path.join(directory, "console")
        cc = pexpect.run(os.path.join(args.sdk, "bin", "aramid-cc"),
                         args=["-O2", "-Wall", "-Wextra", "-Werror", "-o", program,
                               os.path.join(args.source, "console.c")],
                         withexitstatus=True)
        if cc[1] != 0:
            print("FAIL: aramid-cc: %s" % cc[0].decode("utf-8", "replace"))
            return 1
        child = pexpect.spawn(os.path.join(args.sdk, "bin", "aramid-run"),
                              ["--timeout", "120", program], timeout=60)
        child.logfile_read = sys.stdout.buffer
        expect_exact(child, "isatty 1 1 1", "stdin, stdout and stderr are not terminals")
        expect_exact(child, "icanon 1 echo 1 isig 1, /dev/console, 24x80", "settings")
        expect_exact(child, "> ", "no prompt")
        child.send("hello world\r")
        expect_exact(child, "hello world\r\n", "the typed line was not echoed")
        expect_exact(child, "read [hello world]", "the typed line was not read back")

        expect_exact(child, "> ", "no second prompt")
        child.send("abcd\x7f\x7fX\r")  # two backspaces (DEL, what the key sends)
        expect_exact(child, "abcd\b \b\b \bX", "backspace not echoed as \\b \\b")
        expect_exact(child, "read [abX]", "backspace did not erase")

        expect_exact(child, "> ", "no prompt for kill and word erase")
        child.send("junk\x15one two\x17three\r")  # ^U kills the line, ^W the word "two"
        expect_exact(child, "read [one three]", "^U or ^W did not erase")

        expect_exact(child, "> ", "no prompt for ^D")
        child.send("\x04")
        expect_exact(child, "end of file", "^D on an empty line is not end of file")

        expect_exact(child, "> ", "no prompt after end of file")
        child.send("quit\r")
        expect_exact(child, "handler> ", "no handler prompt")
        child.send("\x03")
        expect_exact(child, "^C", "^C not echoed")
        expect_exact(child, "read -1 EINTR, 1 interrupts", "^C did not interrupt the read")

        expect_exact(child, "raw> ", "no raw prompt")
        child.send("x")
        expect_exact(child, "raw 1 byte 120", "raw mode did not read one byte")
        expect_exact(child, "timed read 0", "VTIME did not end an empty read with 0")

        expect_exact(child, "last> ", "no last prompt")
        child.send("cut\x03")
        try:
            child.expect(pexpect.EOF)
        except pexpect.TIMEOUT:
            fail(child, "^C did not end the program")
        child.close()
        if child.exitstatus != 130:
            print("FAIL: exit status %s, expected 130 (SIGINT)" % child.exitstatus)
            return 1
        if b"after ^C" in child.before:
            print("FAIL: the program went on after ^C")
            return 1
    print("\nconsole interactive: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())

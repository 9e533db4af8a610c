#!/usr/bin/env python3
"""Interactive console test: types at a program run by aramid-run on a pseudo-terminal
(pexpect), as a person would. The prompt appears, typed lines are echoed and read back,
backspace (DEL), ^U and ^W erase, ^D is end of file, ^C interrupts a read with a handler
(EINTR) and, with the default action, ends the program with status 130; raw mode reads single
bytes without echo, and VTIME ends a read with nothing typed. With --program console_ready
(console_ready.c), the terminal's readiness: poll, epoll and select on stdin stay asleep while a
line is only half typed and wake when it is complete; raw mode wakes on one byte, ^D on an
empty line wakes with end of file.
usage: test_console_interactive.py --sdk DIR --source DIR [--program console_ready]"""
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
    p.add_argument("--source", required=True, help="tests/sdk, where the programs are")
    p.add_argument("--program", default="console", choices=["console", "console_ready"])
    return p.parse_args()


def fail(child, message):
    print("FAIL: %s\n---- seen so far ----\n%s" % (message, child.before))
    sys.exit(1)


def expect_exact(child, text, what):
    try:
        child.expect_exact(text)
    except (pexpect.TIMEOUT, pexpect.EOF):
        fail(child, what)


def expect_quiet(child, text, seconds, what):
    """text must not appear within seconds (the program still waits)."""
    try:
        child.expect_exact(text, timeout=seconds)
    except pexpect.TIMEOUT:
        return
    except pexpect.EOF:
        fail(child, what + " (the program ended)")
    fail(child, what)


def type_at_console(child):
    """console.c: prompts, editing, ^D, ^C, raw mode."""
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
    return 0


def type_at_console_ready(child):
    """console_ready.c: poll, epoll and select on stdin."""
    expect_exact(child, "nothing typed: poll 0 revents\r\n", "stdin was ready with nothing typed")
    expect_exact(child, "writable: poll 1 revents OUT", "the terminal is not writable")
    expect_exact(child, "epoll_ctl ADD stdin: 0", "epoll_ctl on the terminal failed")
    expect_exact(child, "epoll_wait now: 0", "epoll reported the terminal with nothing typed")

    expect_exact(child, "poll> ", "no poll prompt")
    child.send("abc")
    expect_exact(child, "abc", "the half line was not echoed")
    expect_quiet(child, "woke", 1.5, "poll woke for half a line (canonical mode)")
    child.send("\r")
    expect_exact(child, "woke: poll 1 revents IN", "poll did not wake for the line")
    expect_exact(child, "epoll_wait with a line: 1 data 7", "epoll did not see the line")
    expect_exact(child, "read 4 [abc]", "the line was not read")
    expect_exact(child, "after the read: poll 0 revents\r\n", "stdin ready after the read")
    expect_exact(child, "epoll_wait after the read: 0", "epoll ready after the read")

    expect_exact(child, "epoll> ", "no epoll prompt")
    expect_quiet(child, "epoll woke", 1, "epoll_wait woke with nothing typed")
    child.send("de\r")
    expect_exact(child, "epoll woke: 1", "epoll_wait did not wake for the line")
    expect_exact(child, "read 3 [de]", "the epoll line was not read")

    expect_exact(child, "select> ", "no select prompt")
    expect_quiet(child, "select woke", 1, "select woke with nothing typed")
    child.send("fg\r")
    expect_exact(child, "select woke: 1 readable 1", "select did not wake for the line")
    expect_exact(child, "read 3 [fg]", "the select line was not read")

    expect_exact(child, "raw> ", "no raw prompt")
    expect_quiet(child, "raw woke", 1, "raw poll woke with nothing typed")
    child.send("z")
    expect_exact(child, "raw woke: poll 1 revents IN", "raw poll did not wake for a byte")
    expect_exact(child, "raw read 1 byte 122", "the raw byte was not read")

    expect_exact(child, "eof> ", "no eof prompt")
    child.send("\x04")
    expect_exact(child, "eof woke: poll 1 revents IN", "poll did not wake for ^D")
    expect_exact(child, "read 0 []", "^D was not end of file")
    expect_exact(child, "done", "the program did not finish")
    try:
        child.expect(pexpect.EOF)
    except pexpect.TIMEOUT:
        fail(child, "the program did not end")
    child.close()
    if child.exitstatus != 0:
        print("FAIL: exit status %s" % child.exitstatus)
        return 1
    return 0


def main():
    args = parse_args()
    try:  # a chroot without /dev/pts has no pseudo-terminals (tests/sdk can do nothing about it)
        for fd in os.openpty():
            os.close(fd)
    except OSError as error:
        print("SKIP: no pseudo-terminal (%s; is /dev/pts mounted?)" % error)
        return 77
    with tempfile.TemporaryDirectory(prefix="aramid-console-") as directory:
        program = os.path.join(directory, args.program)
        cc = pexpect.run(os.path.join(args.sdk, "bin", "aramid-cc"),
                         args=["-O2", "-Wall", "-Wextra", "-Werror", "-o", program,
                               os.path.join(args.source, args.program + ".c")],
                         withexitstatus=True)
        if cc[1] != 0:
            print("FAIL: aramid-cc: %s" % cc[0].decode("utf-8", "replace"))
            return 1
        child = pexpect.spawn(os.path.join(args.sdk, "bin", "aramid-run"),
                              ["--timeout", "120", program], timeout=60)
        child.logfile_read = sys.stdout.buffer
        result = SCENARIOS[args.program](child)
        if result != 0:
            return result
    print("\n%s: ok" % args.program)
    return 0


SCENARIOS = {"console": type_at_console, "console_ready": type_at_console_ready}


if __name__ == "__main__":
    sys.exit(main())

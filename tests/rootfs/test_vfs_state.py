#!/usr/bin/env python3
"""The vfs's state is kept by its supervisor (restart plan steps 1 and 2, docs/vfs.md): dash
writes a file under /tmp, then init (vfs_find=WORD on the command line) maps the two memory
objects vfs handed it at start and finds the state header's version right, generation 1, and
the file's bytes in the page object; a word nobody wrote is not found there.

usage: test_vfs_state.py --run tools/run --build BUILD"""
import argparse
import os
import subprocess
import sys


def boot(args, word):
    b = args.build
    # The file holds kept-42-bytes; the command line (and so argv) only kept-$((6*7))-bytes.
    command = [sys.executable, args.run, "--timeout", "120", "--cmdline",
               "init=init vfs_find=%s run=sh -c echo${IFS}kept-$((6*7))-bytes>/tmp/kept" % word]
    for path, name in [("servers/init.elf", "init"), ("servers/proc.elf", "proc"),
                       ("servers/vfs.elf", "vfs"), ("rootfs.cpio", "initrd"),
                       ("servers/event.elf", "event"), ("servers/sock.elf", "sock"),
                       ("servers/ipc.elf", "ipc"), ("rootfs/bin/sh", "sh")]:
        command += ["--module", os.path.join(b, path) + ":" + name]
    proc = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=240)
    return proc.returncode, proc.stdout + proc.stderr


def expect(condition, message, output):
    if not condition:
        print("FAIL: %s\n%s" % (message, output))
        sys.exit(1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--run", required=True)
    p.add_argument("--build", required=True)
    args = p.parse_args()
    code, output = boot(args, "kept-42-bytes")
    expect(code == 0, "exit code %d" % code, output)
    expect("init: vfs state: version ok, generation 1," in output, "no good state header", output)
    expect("init: vfs pages hold kept-42-bytes: yes" in output, "file bytes not found", output)
    print("state kept, file bytes found: ok")
    code, output = boot(args, "kept-43-bytes")
    expect(code == 0, "exit code %d" % code, output)
    expect("init: vfs pages hold kept-43-bytes: no" in output, "a word never written found",
           output)
    print("a word never written: not found: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())

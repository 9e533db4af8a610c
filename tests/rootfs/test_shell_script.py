#!/usr/bin/env python3
"""dash on Aramid runs a script of pipelines, redirections, &&, ||, subshells, functions,
$(...), here-documents, trap, wait and background jobs, and prints exactly what dash prints for
it on this Linux machine (Debian's dash, /bin/dash). The utilities the script calls are
busybox's on Aramid (copies of build/rootfs/bin/busybox named after the applets).

usage: test_shell_script.py --run SDK/bin/aramid-run --sh build/rootfs/bin/sh
                            --busybox build/rootfs/bin/busybox SCRIPT"""
import argparse
import shutil
import subprocess
import sys

APPLETS = ["cat", "grep", "head", "ls", "pwd", "rm", "sed", "sleep", "sort", "tr", "uname", "wc"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--run", required=True)
    p.add_argument("--sh", required=True)
    p.add_argument("--busybox", required=True)
    p.add_argument("script")
    args = p.parse_args()
    dash = shutil.which("dash")
    if dash is None:
        print("FAIL: no dash on this machine to compare with (Debian's dash package)")
        return 1
    linux = subprocess.run([dash, args.script], stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=60)
    cmd = [sys.executable, args.run, "--timeout", "240", "--file", args.script + ":/script.sh"]
    for applet in APPLETS:
        cmd += ["--file", "%s:/bin/%s" % (args.busybox, applet)]
    cmd += ["--env", "PATH=/bin", args.sh, "/script.sh"]
    aramid = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=300)
    expected = linux.stdout.decode() + "status %d\n" % linux.returncode
    got = aramid.stdout.decode() + "status %d\n" % aramid.returncode
    if expected != got:
        print("FAIL: dash on Aramid differs from dash on Linux")
        print("--- Linux\n" + expected + "--- Aramid\n" + got)
        print("--- Aramid stderr\n" + aramid.stderr.decode())
        return 1
    print(got, end="")
    print("shell script: identical to dash on Linux")
    return 0


if __name__ == "__main__":
    sys.exit(main())

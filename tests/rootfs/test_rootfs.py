#!/usr/bin/env python3
"""Root file system programs under Aramid: build/rootfs/bin/sh (Debian's dash) and busybox run with
aramid-run; each row checks stdout, the exit status and, for the failing rows, stderr.

usage: test_rootfs.py --run SDK/bin/aramid-run --sh build/rootfs/bin/sh --busybox ... CASE
CASE is dash or busybox."""
import argparse
import os
import subprocess
import sys
import tempfile
import time

DASH_SCRIPT = r"""echo hi; x=$((1+2)); echo $x
for i in a b c; do printf '%s-' $i; done; echo
f() { echo "f:$1"; return 3; }; f z; echo rc=$?
true && echo and; false || echo or
(exit 4); echo sub=$?
case abc in a*) echo glob;; esac
n=5; while [ $n -gt 3 ]; do n=$((n-1)); echo $n; done
echo ${n:-d} ${unset_variable:-default} ${#n}
set -- 1 '2 3' 4; echo $# "$2"
v=outer; g() { local v=inner; echo $v; }; g; echo $v
read_only=1; readonly read_only; echo ro=$read_only
echo "$(( 7 * 6 )) $(( 1 << 4 )) $(( 17 % 5 ))"
s=hello.tar.gz; echo ${s%.gz} ${s%%.*} ${s#*.}
trap 'echo trapped' EXIT
exit 7"""

DASH_ROWS = [
    # (arguments, files, expected stdout, expected exit, text stderr must hold)
    (["-c", DASH_SCRIPT], [],
     "hi\n3\na-b-c-\nf:z\nrc=3\nand\nor\nsub=4\nglob\n4\n3\n3 default 1\n3 2 3\ninner\nouter\n"
     "ro=1\n42 16 2\nhello.tar hello tar.gz\ntrapped\n", 7, ""),
    # A command that exists as a file in the tree: dash forks and execs it.
    (["-c", "/bin/sh -c 'echo inner $0 $1' zero one; echo outer $?"], ["sh:/bin/sh"],
     "inner zero one\nouter 0\n", 0, ""),
    (["-c", "kill -TERM $$; echo not reached"], [], "", 128 + 15, ""),
    (["-c", "exit 300"], [], "", 300 & 0xff, ""),
    # Errors as dash reports them on Linux.
    (["-c", "nosuch_command\necho rc=$?"], [], "rc=127\n", 0, "sh: 1: nosuch_command: not found"),
    (["-c", "if true; then"], [], "", 2, "sh: 1: Syntax error: end of file unexpected"),
    (["-c", "echo ${unset_variable?is unset}"], [], "", 2, "sh: 1: unset_variable: is unset"),
    (["-c", "echo < /no/such/file"], [], "", 2, "sh: 1: cannot open /no/such/file: No such file"),
]

BUSYBOX_ROWS = [
    (["echo", "hello", "world"], [], "hello world\n", 0, ""),
    (["echo", "-e", "a\\tb"], [], "a\tb\n", 0, ""),
    (["printf", "%05d|%s|%x\n", "42", "x", "255"], [], "00042|x|ff\n", 0, ""),
    (["seq", "3"], [], "1\n2\n3\n", 0, ""),
    (["seq", "-s", ",", "2", "2", "8"], [], "2,4,6,8\n", 0, ""),
    (["true"], [], "", 0, ""),
    (["false"], [], "", 1, ""),
    (["basename", "/a/b/c.txt", ".txt"], [], "c\n", 0, ""),
    (["dirname", "/a/b/c"], [], "/a/b\n", 0, ""),
    (["date", "-u", "-d", "@86400", "+%Y-%m-%d %H:%M:%S"], [], "1970-01-02 00:00:00\n", 0, ""),
    (["uname", "-s", "-m"], [], "Aramid x86_64\n", 0, ""),
    # Reading a file given to the program (a boot file today).
    (["wc", "-l", "/data"], ["data:/data"], "3 /data\n", 0, ""),
    (["grep", "-n", "b", "/data"], ["data:/data"], "2:beta\n", 0, ""),
    (["sed", "-n", "s/^g/G/p", "/data"], ["data:/data"], "Gamma\n", 0, ""),
    (["sort", "-r", "/data"], ["data:/data"], "gamma\nbeta\nalpha\n", 0, ""),
    (["head", "-n", "1", "/data"], ["data:/data"], "alpha\n", 0, ""),
    (["cut", "-c", "1-2", "/data"], ["data:/data"], "al\nbe\nga\n", 0, ""),
    # Applets started by their own name, as the /bin links will run them.
    (["--list"], [], None, 0, ""),
    # Errors.
    (["cat", "/no/such/file"], [], "", 1, "cat: can't open '/no/such/file': No such file or directory"),
    (["grep", "zeta", "/data"], ["data:/data"], "", 1, ""),
    (["no_such_applet"], [], "", 127, "no_such_applet: applet not found"),
]


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--run", required=True)
    p.add_argument("--sh", required=True)
    p.add_argument("--busybox", required=True)
    p.add_argument("--applets", required=True, help="busybox.applets, one name a line")
    p.add_argument("case", choices=["dash", "busybox"])
    return p.parse_args()


def run(args, program, arguments, files, scratch):
    cmd = [args.run, "--timeout", "120"]
    for spec in files:
        host, guest = spec.split(":", 1)
        paths = {"sh": args.sh, "data": os.path.join(scratch, "data")}
        cmd += ["--file", paths[host] + ":" + guest]
    cmd += [program] + arguments
    started = time.monotonic()
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=240)
    print("%s %s: exit %d, %.2f s" % (os.path.basename(program), " ".join(arguments)[:60],
                                      proc.returncode, time.monotonic() - started))
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


def main():
    args = parse_args()
    program, rows = (args.sh, DASH_ROWS) if args.case == "dash" else (args.busybox, BUSYBOX_ROWS)
    with open(args.applets) as f:
        applets = f.read()
    failures = 0
    with tempfile.TemporaryDirectory() as scratch:
        with open(os.path.join(scratch, "data"), "w") as f:
            f.write("alpha\nbeta\ngamma\n")
        for arguments, files, stdout, status, stderr in rows:
            if stdout is None:  # --list: exactly the applets it was built with
                stdout = applets
            code, out, err = run(args, program, arguments, files, scratch)
            if out != stdout or code != status or stderr not in err:
                failures += 1
                print("FAIL %r\n  wanted exit %d, stdout %r, stderr holding %r\n"
                      "  got exit %d, stdout %r, stderr %r" % (arguments, status, stdout, stderr,
                                                              code, out, err))
    print("%d passed, %d failed" % (len(rows) - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

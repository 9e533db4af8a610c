#!/usr/bin/env python3
"""SDK tests: build a program with build/sdk/bin/aramid-cc in a scratch directory, run it with
aramid-run, and check its output and exit status. usage: test_sdk.py --sdk DIR --source DIR CASE"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--sdk", required=True)
    p.add_argument("--source", required=True, help="tests/sdk, where the programs are")
    p.add_argument("case")
    return p.parse_args()


class Case:
    def __init__(self, args, directory):
        self.sdk = args.sdk
        self.source = args.source
        self.directory = directory

    def tool(self, name):
        return os.path.join(self.sdk, "bin", name)

    def cc(self, *arguments):
        """aramid-cc run from the scratch directory (so it must not rely on the cwd)."""
        cmd = [self.tool("aramid-cc"), "-O2", "-Wall", "-Wextra", "-Werror"] + list(arguments)
        started = time.monotonic()
        proc = subprocess.run(cmd, cwd=self.directory, capture_output=True, text=True)
        if proc.returncode != 0:
            fail("aramid-cc failed: %s\n%s" % (" ".join(cmd), proc.stderr))
        print("aramid-cc %s: %.2f s" % (" ".join(arguments), time.monotonic() - started))

    def build(self, name, *sources):
        self.cc("-o", name, *[os.path.join(self.source, s) for s in sources])
        return os.path.join(self.directory, name)

    def run(self, program, *arguments, options=(), merged=False):
        """Runs program; returns its exit status, stdout and stderr (stderr in stdout when
        merged, as with 2>&1)."""
        cmd = [self.tool("aramid-run"), "--timeout", "120"] + list(options) + [program]
        cmd += list(arguments)
        started = time.monotonic()
        proc = subprocess.run(cmd, cwd=self.directory, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT if merged else subprocess.PIPE,
                              timeout=240)
        print("aramid-run %s: exit %d, %.2f s" % (os.path.basename(program), proc.returncode,
                                                 time.monotonic() - started))
        return proc.returncode, proc.stdout.decode("utf-8", "replace"), \
            (proc.stderr or b"").decode("utf-8", "replace")


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def expect_output(actual, expected, code, expected_code, stderr=""):
    if actual != expected or code != expected_code:
        fail("expected exit %d and output\n%r\ngot exit %d and output\n%r\nstderr:\n%s"
             % (expected_code, expected, code, actual, stderr))


def case_hello(c):
    program = c.build("hello", "hello.c")
    code, out, err = c.run(program, "one", "two words")
    expect_output(out, "hello, aramid\nargv[0] = hello\nargv[1] = one\nargv[2] = two words\n"
                  "qsort: 1000 numbers sorted\nstrtod: 314.159 3.141590e+02 0.314159 rest 'xyz'\n"
                  "long double: 0.3333333333\n", code, 0, err)
    if err != "stderr works\n":
        fail("stderr: expected 'stderr works\\n', got %r" % err)
    if "Aramid" in out or "root task" in out:
        fail("kernel messages leaked into the program's output")


def case_exit_status(c):
    program = c.build("exit_status", "exit_status.c")
    tail = "buffered without a newline...atexit handler ran\n"
    for arguments in ((), ("exit",)):
        code, out, err = c.run(program, *arguments)
        expect_output(out, tail, code, 42, err)
    code, out, err = c.run(program, "abort")
    expect_output(out, "", code, 128 + 6, err)  # SIGABRT; stdio is not flushed by abort


def case_environment(c):
    program = c.build("environment", "environment.c")
    code, out, err = c.run(program, "", "a b", "-x", "--timeout", "ü",
                           options=("--env", "GREETING=hi there", "--env", "EMPTY="))
    expect_output(out, "argc=6\nargv[0]=[environment]\nargv[1]=[]\nargv[2]=[a b]\n"
                  "argv[3]=[-x]\nargv[4]=[--timeout]\nargv[5]=[ü]\nenvp[0]=[GREETING=hi there]\n"
                  "envp[1]=[EMPTY=]\nGREETING=hi there\nADDED=yes\npid>1=1\n", code, 0, err)


def case_memory(c):
    # Separate compilation with -c and -I, then a link of two objects.
    c.cc("-c", "-I", c.source, "-o", "memory.o", os.path.join(c.source, "memory.c"))
    c.cc("-c", "-DUNUSED=1", os.path.join(c.source, "memory_blocks.c"))
    c.cc("-o", "memory", "memory.o", "memory_blocks.o")
    code, out, err = c.run(os.path.join(c.directory, "memory"))
    lines = out.splitlines()
    if code != 0 or len(lines) != 4 or lines[0] != "heap: 64 MiB in blocks, checked and freed" \
            or lines[1] != "heap: trimming gave back at least 4000 frames: yes" \
            or not lines[2].startswith("heap: grew by") \
            or lines[3] != "mmap: anonymous private and shared mappings ok":
        fail("memory: exit %d, output\n%s\nstderr:\n%s" % (code, out, err))


def case_vfs(c):
    program = c.build("vfs", "vfs.c")
    code, out, err = c.run(program, options=("--tmp-pages", "64"))
    expect_output(out, "cycles ok: 1000\nfree frames kept: yes\nmapped cycles ok: 300\n"
                  "free frames kept: yes\nfull /tmp after 64 pages: ENOSPC\n"
                  "another file on the full /tmp: ENOSPC\nafter unlink: written\n"
                  "writer killed: yes\npipe after the writer died: 65536 bytes then end of file\n"
                  "second session: mapped\nread of a foreign description: -9\nmotd opened: yes\n"
                  "write of -5 bytes: -9\nrename with a bad second path: -22\n"
                  "adopt of a made-up token: -22\ngetdents of nothing: -9\n"
                  "terminal read of -1 bytes: -22\nterminal settings of 3 bytes: -22\n"
                  "unknown terminal request: -25\nmap of motd: 0\n"
                  "map of a foreign description: -9\n"
                  "map of 2^40 bytes: -12\nmap at an unaligned offset: -22\nmap of 0 bytes: -22\n"
                  "writable map of a read-only file: -13\npread of motd: 5\n"
                  "pread with an unknown bit: -22\nprobe of a file: -22\n"
                  "no-wait read of an empty FIFO: -11\na byte in: 1\nprobe of it: 0\n"
                  "the byte is still there: 1\nwrite probe of the read end: -9\n"
                  "probe of the empty O_NONBLOCK read end: -11\n"
                  "statfs of nothing: -9\nbuffer 62: 0\n"
                  "buffer 62 again: -16\nbuffer 0, 64: -22 -22\n"
                  "through buffer 62: -9, through 61 (not made): -22\nsession again: 0\n"
                  "session through buffer 61 (not made): 8 of 8 -EINVAL, vfs's handles as before\n"
                  "motd still reads: yes\n"
                  "another process's file: intact\n", code, 0, err)


def case_terminal_jobs(c):
    """The console as the controlling terminal, as Linux answers on a pseudo-terminal (the
    same program under Linux's pexpect gives these lines, with ^D for the foreground read)."""
    program = c.build("terminal_jobs", "terminal_jobs.c")
    code, out, err = c.run(program)
    expect_output(out, (
                  "session leader = 1\n"
                  "tcgetpgrp == getpgrp = 1\n"
                  "TIOCGSID = 0\n"
                  "TIOCGSID == getsid = 1\n"
                  "tcsetpgrp to its own group = 0\n"
                  "tcsetpgrp(-1) = -1 EINVAL\n"
                  "tcsetpgrp to no group = -1 ESRCH\n"
                  "open /dev/tty >= 0 = 1\n"
                  "tcgetpgrp of /dev/tty == getpgrp = 1\n"
                  "TIOCSCTTY by its own session leader = 0\n"
                  "child setsid > 0 = 1\n"
                  "tcgetpgrp in another session = -1 ENOTTY\n"
                  "tcsetpgrp in another session = -1 ENOTTY\n"
                  "open /dev/tty in another session = -1 ENXIO\n"
                  "open /dev/console in another session >= 0 = 1\n"
                  "TIOCSCTTY of a taken terminal without force = -1 EPERM\n"
                  "child setpgid(0, 0) = 0\n"
                  "tcgetpgrp == the parent's group = 1\n"
                  "tcgetattr in the background = 0\n"
                  "tcsetattr in the background (SIGTTOU caught) = -1 EINTR\n"
                  "caught SIGTTOU = 1\n"
                  "tcsetattr with SIGTTOU ignored = 0\n"
                  "read in the background (SIGTTIN caught) = -1 EINTR\n"
                  "caught SIGTTIN = 1\n"
                  "read with SIGTTIN ignored = -1 EIO\n"
                  "TIOCNOTTY by a member = 0\n"
                  "TIOCSCTTY by a member = -1 EPERM\n"
                  "child setpgid(0, 0) = 0\n"
                  "tcsetpgrp to its own group = 0\n"
                  "tcgetpgrp == its group = 1\n"
                  "read in the foreground (no input: end of file) = 0\n"
                  "tcsetpgrp back to the parent's group = 0\n"
                  "tcgetpgrp back at the parent's group = 1\n"
                  "tcgetattr = 0\n"
                  "tcsetattr TOSTOP = 0\n"
                  "tostop: child setpgid(0, 0) = 0\n"
                  "tostop: background write (SIGTTOU caught) = -1 EINTR\n"
                  "tostop: caught SIGTTOU = 1\n"
                  "written\n"
                  "tostop: background write with SIGTTOU ignored = 8\n"
                  "tostop: orphaned background write = -1 EIO\n"
                  "tcsetattr without TOSTOP = 0\n"
                  "TIOCNOTTY by the session leader = 0\n"
                  "noctty: child setsid > 0 = 1\n"
                  "noctty: open O_NOCTTY >= 0 = 1\n"
                  "noctty: tcgetpgrp after the O_NOCTTY open = -1 ENOTTY\n"
                  "noctty: TIOCGSID after the O_NOCTTY open = -1 ENOTTY\n"
                  "noctty: open without O_NOCTTY >= 0 = 1\n"
                  "noctty: tcgetpgrp == getpgrp = 1\n"
                  "TIOCSCTTY again = 0\n"
                  "tcgetpgrp == getpgrp again = 1\n"
                  ), code, 0, err)


def case_events_hostile(c):
    program = c.build("events_hostile", "events_hostile.c", "hostile.c")
    code, out, err = c.run(program)
    expect_output(out, "before: eventfd ok, socketpair ok\nown eventfd page mapped: yes\n"
                  "values read from a scribbled page within Linux's range: yes\n"
                  "after scribbling: eventfd ok\nafter garbage: eventfd ok, socketpair ok\n"
                  "an older pair still carries data: yes\nraw send: 1\n"
                  "raw send with a forged attachment: -9\n"
                  "writer killed: yes, then end of stream: yes (read some)\n"
                  "socket cycles made and dropped: 3000\nepoll_wait = 1\n"
                  "epoll_wait into address 16 = -1 EFAULT\n"
                  "a pipe: ok\nready_handle = 0\nready_poll = 0, bits 0, same id yes\n"
                  "writer closed: ready_poll = 0, bits 0x10\n"
                  "description gone: ready_poll = -9\n"
                  "ready_handle of a description not held = -9\n"
                  "ready_map = 0\nwords mapped to read: yes, to write: -1\n"
                  "a pipe after that: ok\n"
                  "sock ready_map = 0\nsock words mapped to read: yes, to write: -1\n"
                  "ready_ring from a client: -1, on the socket's handle: -1\n"
                  "named eventfd: create 0, handle none, its holder's read 0 value 3\n"
                  "named by a process that does not hold it: -9\n"
                  "SO_PEERCRED is our pid: yes\nclaiming pid 4242, SO_PEERCRED: our pid\n"
                  "a send claiming pid 4242, SCM_CREDENTIALS: our pid\n"
                  "pass 0, adopt 0, the same object: yes\nadopt it again: -9\n"
                  "forged tokens: all EBADF: yes\n"
                  "eventfds sent, never read, dropped: 3000\n"
                  "pipes sent, never read, dropped: 1000\n"
                  "a hog's first eventfd works: yes, it made 1500\n"
                  "meanwhile another process: eventfd ok, epoll ok\n"
                  "at the end: eventfd ok, socketpair ok\n", code, 0, err)


def case_sock_ring_hostile(c):
    program = c.build("sock_ring_hostile", "sock_ring_hostile.c", "hostile.c")
    code, out, err = c.run(program)
    expect_output(out, "before: socketpair ok\nraw pair: 0, ring_map of both ends: ok\n"
                  "good send 1, recv 1 'g'\n"
                  "repass: send 1, good 0, gone -2, kinds -22, sockets -22, length -22; "
                  "recv 1 carries the new pass: yes\n"
                  "re-armed: renew said yes, ring_map ok, a new memory object: yes\n"
                  "after scribbling: every answer bounded: yes\n"
                  "a seqpacket pair's records scribbled: every answer bounded: yes\n"
                  "the server still serves: socketpair ok\n"
                  "a pair between two other processes: every byte right\n"
                  "at the end: socketpair ok\n", code, 0, err)


def case_sock_ring_calls(c):
    """Every libsys function that enters the kernel, linked through a counting trampoline."""
    library = os.path.join(c.sdk, "lib", "libsys.a")
    listing = subprocess.run(["nm", "-A", library], capture_output=True, text=True,
                             check=True).stdout
    names = sorted({line.split()[-1] for line in listing.splitlines()
                    if line.split(":")[1] in ("syscall.c.o", "server_client.c.o",
                                              "proc_client.c.o", "vfs_client.c.o")
                    and " T " in line})
    if len(names) < 100:
        fail("expected the kernel-entering functions of libsys, found %d" % len(names))
    trampolines = os.path.join(c.directory, "counted.S")
    with open(trampolines, "w") as out:
        out.write(".bss\n.globl sdk_kernel_calls\n.balign 8\nsdk_kernel_calls: .quad 0\n.text\n")
        for name in names:
            out.write(".globl __wrap_%s\n__wrap_%s:\n lock incq sdk_kernel_calls(%%rip)\n"
                      " jmp __real_%s\n" % (name, name, name))
    c.cc("-o", "sock_ring_calls", os.path.join(c.source, "sock_ring_calls.c"), trampolines,
         *["-Wl,--wrap=" + name for name in names])
    code, out, err = c.run(os.path.join(c.directory, "sock_ring_calls"))
    expect_output(out, "fresh pair: 0 kernel calls\n"
                  "after a fork whose child exited: 0 kernel calls\n"
                  "the other way: 0 kernel calls\n"
                  "after a pass to itself and a close: 0 kernel calls\n"
                  "fresh seqpacket pair: 0 kernel calls\n"
                  "seqpacket after a fork whose child exited: 0 kernel calls\n"
                  "fresh dgram pair: 0 kernel calls\n"
                  "after an execve: read 7 [pending], 0 kernel calls\n"
                  "with SO_PASSCRED (the server path): at least 1000 kernel calls: yes\n",
                  code, 0, err)


def case_pipe_ring_hostile(c):
    program = c.build("pipe_ring_hostile", "pipe_ring_hostile.c", "hostile.c")
    code, out, err = c.run(program)
    expect_output(out, "before: pipe ok\nraw pipe: 0, its ring: mapped, write 1, read 1\n"
                  "after scribbling: rings many, every answer bounded: yes\n"
                  "the vfs still serves: pipe ok\n"
                  "cross-process ring: mapped by both, write 4, the other read 'good'\n"
                  "after scribbling over it: the other holder's answers bounded: yes, "
                  "its other pipes: ok\n"
                  "a writer killed while the ring is full: its bytes whole, then EOF (killed)\n"
                  "a reader that exits while the writer waits: a short count, then EPIPE\n"
                  "a pipe of another process: every byte right\n"
                  "at the end: pipe ok\n", code, 0, err)


def case_ready_watch_exit(c):
    program = c.build("ready_watch_exit", "ready_watch_exit.c")
    code, out, err = c.run(program)
    expect_output(out, "watch the terminal: 0, unwatch: 0\n"
                  "3 children each left 400 watches: made\n"
                  "watch the terminal after they exited: 0\n", code, 0, err)


def case_ipc_hostile(c):
    program = c.build("ipc_hostile", "ipc_hostile.c", "hostile.c")
    code, out, err = c.run(program)
    expect_output(out, "before: ok\nraw mq_open: 0\nafter garbage: ok\nsend of 1 byte: 0\n"
                  "send claiming 100 bytes with 5: -22\ntruncate: 0\n"
                  "grow granting a notification: -22\ngrow granting a page for a megabyte: -22\n"
                  "size still: 8192\nshmget granting a notification: -22\n"
                  "semop of a million: -7\nwaiters killed: 6\nqueue usable: yes\n"
                  "at the end: ok\n", code, 0, err)


def case_threads(c):
    c.build("threads", "threads.c")
    code, out, err = c.run(os.path.join(c.directory, "threads"))
    expect_output(out, "counter 800000 of 800000\ncreated and joined 1000 threads, 0 failures\n"
                  "kernel threads back: yes\nframes back: yes\n", code, 0, err)


def case_files(c):
    program = c.build("files", "files.c")
    data = os.path.join(c.directory, "data.txt")
    with open(data, "w") as f:
        f.write("first line\nsecond line\n")
    code, out, err = c.run(program, "/etc/data.txt", options=("--file", data + ":/etc/data.txt"))
    expect_output(out, "read: first line\nread: second line\nsize: 23\ndup: ok\n"
                  "isatty(1)=1\n", code, 0, err)


def case_processes(c):
    program = c.build("processes", "processes.c")
    code, out, err = c.run(program)
    expect_output(out, "waitpid: child\nfork: exited 3\n"
                  "exec: argument, SIGUSR2 still ignored\nexecve: exited 5\n"
                  "SIGUSR1 and SIGCHLD arrived\nkill: signal 15\nwaitpid again: ECHILD\n",
                  code, 0, err)
    code, out, err = c.run(program, "die")
    expect_output(out, "", code, 128 + 10, err)


def case_streams(c):
    """stdout and stderr apart (posix-shim's stderr frames), from fork and execve children too;
    merged (2>&1) they keep the program's order."""
    program = c.build("streams", "streams.c")
    big = "".join("\n" if i % 64 == 63 else chr(ord("a") + i % 26) for i in range(10240))
    writes = [(1, "out 1\n"), (2, "err 1\n"), (1, "out 2 without newline"),
              (2, "err 2 without newline"), (1, "; out 2 ends\n"), (2, "; err 2 ends\r\n"),
              (1, "\033]aramid-stderr:0123456789abcdef:5;fake!\a\n"), (2, big),
              (2, "stdio stderr 3\n"), (1, "stdio stdout 3\n"),
              (2, "fork child: stderr\n"), (1, "fork child: stdout\n"),
              (2, "exec child: stderr\n"), (1, "exec child: stdout\n"),
              (2, "err last"), (1, "out last")]
    code, out, err = c.run(program)
    expected_err = "".join(text for stream, text in writes if stream == 2)
    expect_output(out, "".join(text for stream, text in writes if stream == 1), code, 0, err)
    if err != expected_err:
        fail("stderr: expected %d bytes\n%r\ngot %d bytes\n%r"
             % (len(expected_err), expected_err[:300], len(err), err[:300]))
    code, out, _ = c.run(program, merged=True)
    expect_output(out, "".join(text for _, text in writes), code, 0)


def case_user_database(c):
    program = c.build("user_database", "user_database.c")
    code, out, err = c.run(program)
    expect_output(out, "root: root x 0 0 / /bin/sh\n"
                  "getpwnam(nobody) = found, errno 0\n"
                  "getpwuid(0) = root, getpwuid(1000) = NULL\n"
                  "getgrnam(root) = 0, members none; getgrgid(5) = NULL\n"
                  "getpwuid_r(0) = 0, /bin/sh in the buffer: yes\n"
                  "getpwuid_r(small) = ERANGE, result NULL\n"
                  "getpwnam_r(nobody) = 0, result set\n"
                  "getpwent: root then nobody, then NULL\n"
                  "after setpwent: root again\n"
                  "setuid(0) = 0\nsetuid(1000) = -1 EINVAL\n"
                  "setreuid(-1, 0) = 0\nsetreuid(5, -1) = -1 EINVAL\n"
                  "setegid(0) = 0\nsetegid(7) = -1 EINVAL\n"
                  "getgroups(0) = 0\n"
                  "chdir(home) = 0\n"
                  "opendir(home) = DIR\n", code, 0, err)


def case_system_info(c):
    program = c.build("system_info", "system_info.c")
    code, out, err = c.run(program)
    expect_output(out, "gethostname = 0 \nboot name: aramid\nsethostname(box-1) = 0 \n"
                  "gethostname = 0 \nnow: box-1, uname: box-1\n"
                  "gethostname(bad) = -1 EFAULT\nsethostname(64 bytes) = 0 \n"
                  "sethostname(back) = 0 \nif_nametoindex(lo) = 0 \n"
                  "if_indextoname(1): NULL ENXIO\nif_nameindex: empty\nprlimit(child, CORE) = 0 \n"
                  "child's old CORE: soft 0\nprlimit(init, CORE, set) = -1 EPERM\n"
                  "prlimit(init, CORE, get) = 0 \n"
                  "child: CORE soft 1000 hard 2000, host aramid\nchild exited 0\n"
                  "after a child's sethostname: uname box-2, gethostname box-2\n"
                  "sethostname(back) = 0 \nuname: aramid\n", code, 0, err)
    # The same executable on the build machine's Linux exits at once, saying what it is
    # (autoconf's cross-compilation check runs it).
    started = time.monotonic()
    proc = subprocess.run([program], capture_output=True, timeout=20)
    elapsed = time.monotonic() - started
    if proc.returncode != 126 or b"this is an Aramid program" not in proc.stderr or proc.stdout:
        fail("on Linux: exit %d, stdout %r, stderr %r" % (proc.returncode, proc.stdout,
                                                          proc.stderr))
    print("on Linux: exit 126 after %.3f s" % elapsed)


def case_autoconf(c):
    """An autoconf project (tests/sdk/autoconf-project: configure generated here by autoreconf)
    configured with --host=x86_64-aramid CC=aramid-cc: the cross check runs conftest on Linux,
    which exits at once (crt0), so configure says it cross-compiles; the probe runs on Aramid."""
    project = os.path.join(c.directory, "project")
    shutil.copytree(os.path.join(c.source, "autoconf-project"), project)
    for cmd in (["autoreconf"],
                ["./configure", "--host=x86_64-aramid", "CC=" + c.tool("aramid-cc")],
                ["make"]):
        started = time.monotonic()
        proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True, timeout=300)
        print("%s: exit %d, %.2f s" % (" ".join(cmd[:2]), proc.returncode,
                                       time.monotonic() - started))
        if proc.returncode != 0:
            fail("%s failed:\n%s%s" % (" ".join(cmd), proc.stdout[-3000:], proc.stderr[-3000:]))
        if cmd[0] == "./configure" and "checking whether we are cross compiling... yes" \
                not in proc.stdout:
            fail("configure did not see a cross compiler:\n" + proc.stdout[-3000:])
    code, out, err = c.run(os.path.join(project, "probe"))
    expect_output(out, "configure found the calls: yes\ngetrlimit: 0, page size 4096\n"
                  "gethostname: 0 aramid\n", code, 0, err)


def case_cross_file(c):
    """An external meson project configured with build/sdk/aramid-cross.ini; its test runs
    through aramid-run, the cross file's exe_wrapper."""
    project = os.path.join(c.source, "cross-project")
    build = os.path.join(c.directory, "build")
    for cmd in (["meson", "setup", build, project, "--cross-file",
                 os.path.join(c.sdk, "aramid-cross.ini")],
                ["ninja", "-C", build],
                ["meson", "test", "-C", build, "--print-errorlogs"]):
        started = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        print("%s: %.2f s" % (" ".join(cmd[:2]), time.monotonic() - started))
        if proc.returncode != 0:
            fail("%s failed:\n%s\n%s" % (" ".join(cmd), proc.stdout, proc.stderr))


def case_dead_server(c):
    """A server that dies holding a call, and an endpoint dead with its creator: EIO for
    files, -EIO from the event and sock stubs, no SIGPIPE; EPIPE only for a pipe or socket
    with no reader."""
    program = c.build("dead_server", "dead_server.c")
    code, out, err = c.run(program)
    expect_output(out, "write before: 5\nchild's endpoint granted: yes\n"
                  "write while the server dies holding it: -1 EIO\n"
                  "server took the call: yes\nread before: 1\n"
                  "read with the endpoint dead: -1 EIO\nwrite with the endpoint dead: -1 EIO\n"
                  "stat with the endpoint dead: -1 EIO\nopen with the endpoint dead: -1 EIO\n"
                  "SIGPIPE raised for a dead server: 0\nwrite after: 5\nstat after: 10\n"
                  "event close on a dead endpoint: -5\nepoll wait on a dead endpoint: -5\n"
                  "sock close on a dead endpoint: -5\npipe write with a reader: 1\n"
                  "pipe write with no reader: -1 EPIPE\nSIGPIPE raised: 1\n"
                  "socket send with a peer: 1\nsocket send with the peer closed: -1 EPIPE\n",
                  code, 0, err)


def case_attacks(c):
    """Issue 11's attacks from an ordinary process: refused with their errno, nothing left."""
    program = c.build("attacks", "attacks.c")
    code, out, err = c.run(program)
    expect_output(out, "read-only object mapped: yes, protect read: 0\n"
                  "protect it writable: -13, executable: -13\ninformation page writable: -13\n"
                  "space_create: -1, space_clone: -1, process_create: -1\n"
                  "its own exit watch: set 0, clear 0\n"
                  "write from address 8: -1 errno 14\nstat of path 8: -1 errno 14\n"
                  "mmap of a page: ok\nmmap at an unaligned offset: failed errno 22\n"
                  "mmap of 64 TiB: failed errno 12\nchild refused a space clone: yes\n"
                  "kill(-1, 0) with no other process: -1 errno 3\n", code, 0, err)


CASES = {
    "ready_watch_exit": case_ready_watch_exit,
    "terminal_jobs": case_terminal_jobs,
    "hello": case_hello,
    "exit_status": case_exit_status,
    "environment": case_environment,
    "memory": case_memory,
    "threads": case_threads,
    "files": case_files,
    "processes": case_processes,
    "streams": case_streams,
    "cross_file": case_cross_file,
    "user_database": case_user_database,
    "system_info": case_system_info,
    "autoconf": case_autoconf,
    "vfs": case_vfs,
    "events_hostile": case_events_hostile,
    "ipc_hostile": case_ipc_hostile,
    "sock_ring_hostile": case_sock_ring_hostile,
    "sock_ring_calls": case_sock_ring_calls,
    "pipe_ring_hostile": case_pipe_ring_hostile,
    "dead_server": case_dead_server,
    "attacks": case_attacks,
}


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="aramid-sdk-test-") as directory:
        CASES[args.case](Case(args, directory))
    print("sdk %s: ok" % args.case)


if __name__ == "__main__":
    sys.exit(main())

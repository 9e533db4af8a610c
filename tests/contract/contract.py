#!/usr/bin/env python3
"""Contract tests: each program in tests/contract/ is built with the host gcc and run on Linux,
built with aramid-cc and run on Aramid, and the two outputs must be identical (README.md).

usage: contract.py --build DIR [--source DIR] COMMAND NAME...
  prepare NAME...  build and run every NAME on both sides, store the outputs for this meson run
  check NAME       compare one program's outputs (stored by prepare in this meson run, else run it)
  summary NAME...  one line per program, then "contract: N passed, M failed, K known-divergent"
  run NAME...      build, run and compare now, with diffs and the summary (by hand, e.g. pending)
  build NAME...    only build build/contract-host/NAME and build/contract-aramid/NAME
"""
import argparse
import concurrent.futures
import difflib
import os
import re
import secrets
import signal
import subprocess
import sys
import time

SOURCE = os.path.dirname(os.path.abspath(__file__))
RUNNER = "contract-runner"  # tests/contract/runner.c, built like a program, never compared
GUEST_DIRECTORY = "/contract"
BATCH_MAX = 40              # programs per boot (in the run's initrd; the runner comes too)
HOST_TIMEOUT = 60
ARAMID_TIMEOUT = 120
CFLAGS = ["-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror"]
HOST_CFLAGS = CFLAGS + ["-D_GNU_SOURCE", "-static"]
SIDES = ("host", "aramid")


def parse_args(argv):
    p = argparse.ArgumentParser(usage=__doc__.split("\n\n")[1])
    p.add_argument("--build", required=True, help="the meson build directory")
    p.add_argument("--source", default=SOURCE, help="tests/contract")
    p.add_argument("--jobs", type=int, default=max(2, os.cpu_count() or 2),
                   help="parallel builds and QEMU boots")
    p.add_argument("command", choices=("prepare", "check", "summary", "run", "build"))
    p.add_argument("names", nargs="+", metavar="NAME")
    args = p.parse_args(argv)
    args.build = os.path.abspath(args.build)
    args.source = os.path.abspath(args.source)
    args.sdk = os.path.join(args.build, "sdk")
    args.results = os.path.join(args.build, "contract-results")
    return args


def binary(args, side, name):
    return os.path.join(args.build, "contract-" + side, name)


# ---- building -------------------------------------------------------------------------------

def newest_mtime(paths):
    newest = 0.0
    for path in paths:
        if os.path.isdir(path):
            for root, _, files in os.walk(path):
                newest = max([newest] + [os.path.getmtime(os.path.join(root, f)) for f in files])
        elif os.path.exists(path):
            newest = max(newest, os.path.getmtime(path))
    return newest


def build_one(args, side, name, inputs_mtime):
    """Compiles NAME.c for side unless the binary is newer than its inputs. Returns None, or
    the compiler's complaint as the program's output (a failed build is a failed test)."""
    source = os.path.join(args.source, name + ".c" if name != RUNNER else "runner.c")
    out = binary(args, side, name)
    if not os.path.exists(source):
        return "no such contract program: %s\n" % source
    if os.path.exists(out) and os.path.getmtime(out) >= max(inputs_mtime,
                                                            os.path.getmtime(source)):
        return None
    os.makedirs(os.path.dirname(out), exist_ok=True)
    if side == "host":
        cmd = ["gcc"] + HOST_CFLAGS
    else:
        cmd = [os.path.join(args.sdk, "bin", "aramid-cc")] + CFLAGS
    temporary = "%s.tmp%d" % (out, os.getpid())
    cmd += ["-I", args.source, "-o", temporary, source]
    proc = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        if os.path.exists(temporary):
            os.unlink(temporary)
        lines = proc.stderr.splitlines()
        return "build failed: %s\n%s\n" % (os.path.basename(cmd[0]), "\n".join(lines[:30]))
    os.replace(temporary, out)
    return None


def build_all(args, names):
    """Builds names (and the runner) for both sides in parallel; returns {(side, name): error}."""
    header = os.path.join(args.source, "contract.h")
    inputs = {
        "host": newest_mtime([header, __file__]),
        "aramid": newest_mtime([header, __file__, os.path.join(args.sdk, "lib"),
                                os.path.join(args.sdk, "include"),
                                os.path.join(args.sdk, "bin", "aramid-cc"),
                                os.path.join(args.build, "sysroot")]),
    }
    jobs = [(side, name) for side in SIDES for name in list(names) + [RUNNER]]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = pool.map(lambda job: build_one(args, job[0], job[1], inputs[job[0]]), jobs)
        return {job: error for job, error in zip(jobs, results) if error is not None}


# ---- running --------------------------------------------------------------------------------

def status_line(status):
    return "status: " + status + "\n"


def exit_code_status(code):
    """aramid-run's and our own convention: 128+N is death by Linux signal N."""
    if code < 0:
        return "signal " + signal.Signals(-code).name
    if 128 < code < 128 + 65:
        try:
            return "signal " + signal.Signals(code - 128).name
        except ValueError:
            return "exit %d" % code
    return "exit %d" % code


def aramid_shell(args):
    """The rootfs's dash as /bin/sh for Aramid runs (popen and system need it), when built."""
    shell = os.path.join(args.build, "rootfs", "bin", "sh")
    return ["--file", shell + ":/bin/sh"] if os.path.exists(shell) else []


def run_direct(args, side, name):
    """One program alone: natively, or in a fresh Aramid by aramid-run. Returns its output with
    the status as the last line."""
    if side == "host":
        path = binary(args, side, name)
        cmd, env, timeout = [name], {"CONTRACT_SELF": path}, HOST_TIMEOUT
        executable = path
    else:
        guest = GUEST_DIRECTORY + "/" + name
        cmd = [os.path.join(args.sdk, "bin", "aramid-run"), "--timeout", str(ARAMID_TIMEOUT),
               "--file", "%s:%s" % (binary(args, side, name), guest)] + aramid_shell(args) + [
               "--env", "CONTRACT_SELF=" + guest, binary(args, side, name)]
        env, timeout, executable = None, ARAMID_TIMEOUT + 30, None
    try:
        proc = subprocess.run(cmd, executable=executable, env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    except subprocess.TimeoutExpired as expired:
        return (expired.stdout or b"").decode("utf-8", "replace") + status_line("timeout")
    output = proc.stdout.decode("utf-8", "replace")
    if side == "aramid":
        if proc.returncode == 124:
            return output + status_line("timeout")
        # aramid-run's own complaints (stderr, merged here) are not the program's output.
        output = "".join(line for line in output.splitlines(True)
                         if not line.startswith("aramid-run: "))
    if output and not output.endswith("\n"):
        output += "\n"
    return output + status_line(exit_code_status(proc.returncode))


SHIM_MARKER = re.compile(r"^aramid-sdk:[0-9a-f]+:(start|exit:-?\d+)$")


def run_batch(args, side, names):
    """Runs names through the runner in one process (host) or one boot (Aramid). Returns
    ({name: output}, note); names missing from the dict must be run directly."""
    token = secrets.token_hex(6)
    runner = binary(args, side, RUNNER)
    if side == "host":
        cmd = [runner, token, os.path.join(args.build, "contract-host")] + names
        timeout = HOST_TIMEOUT * 2
    else:
        cmd = [os.path.join(args.sdk, "bin", "aramid-run"), "--timeout",
               str(ARAMID_TIMEOUT)] + aramid_shell(args)
        for name in names:
            cmd += ["--file", "%s:%s/%s" % (binary(args, side, name), GUEST_DIRECTORY, name)]
        cmd += [runner, token, GUEST_DIRECTORY] + names
        timeout = ARAMID_TIMEOUT + 30
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout)
        text = proc.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as expired:
        text = (expired.stdout or b"").decode("utf-8", "replace")
    prefix = "contract-runner:%s:" % token
    unsupported = [line for line in text.splitlines() if line.startswith(prefix + "unsupported:")]
    if unsupported:
        return {}, "runner " + unsupported[0][len(prefix):]
    outputs, current, lines = {}, None, []
    for line in text.splitlines(True):
        if not line.startswith(prefix):
            if current is not None and not SHIM_MARKER.match(line.rstrip("\n")):
                lines.append(line)
            continue
        marker = line[len(prefix):].rstrip("\n")
        if marker.startswith("begin:"):
            current, lines = marker[len("begin:"):], []
        elif marker.startswith("end:") and current is not None:
            status = marker[len("end:") + len(current) + 1:]
            outputs[current] = "".join(lines) + status_line(status)
            current = None
    return outputs, "runner"


def run_side(args, side, names):
    """Outputs of names on one side: through the runner in batches when fork and execve work,
    else (or for what a batch did not finish) one direct run per program, in parallel."""
    batch_size = BATCH_MAX if side == "aramid" else len(names)
    batches = [names[i:i + batch_size] for i in range(0, len(names), batch_size)]
    outputs, notes = {}, set()
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for found, note in pool.map(lambda batch: run_batch(args, side, batch), batches):
            outputs.update(found)
            notes.add(note)
        missing = [name for name in names if name not in outputs]
        if missing:
            notes.add("%d run alone" % len(missing))
        for name, output in zip(missing, pool.map(lambda n: run_direct(args, side, n), missing)):
            outputs[name] = output
    return outputs, ", ".join(sorted(notes))


def run_programs(args, names, batch):
    """Builds and runs names on both sides: {side: {name: output}}, and how each side ran."""
    errors = build_all(args, names)
    runnable = {side: [n for n in names if (side, n) not in errors] for side in SIDES}
    outputs, notes = {}, {}
    for side in SIDES:
        if (side, RUNNER) in errors or not batch:
            outputs[side] = {}
            with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
                found = pool.map(lambda n: run_direct(args, side, n), runnable[side])
                outputs[side] = dict(zip(runnable[side], found))
            notes[side] = "each run alone"
        else:
            outputs[side], notes[side] = run_side(args, side, runnable[side])
        for (error_side, name), error in errors.items():
            if error_side == side and name != RUNNER:
                outputs[side][name] = error
    return outputs, notes


# ---- stored results of one meson test run ----------------------------------------------------

def session_id():
    """Identifies the meson test run that started us (our parent and its start time), so
    prepare's outputs are used only by the checks of the same run."""
    parent = os.getppid()
    try:
        with open("/proc/%d/stat" % parent) as f:
            started = f.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None
    return "%d-%s" % (parent, started)


def store(args, outputs, notes):
    os.makedirs(args.results, exist_ok=True)
    for side in SIDES:
        for name, output in outputs[side].items():
            with open(os.path.join(args.results, "%s.%s" % (name, side)), "w") as f:
                f.write(output)
    with open(os.path.join(args.results, "session"), "w") as f:
        f.write("%s\n%s\n%s\n" % (session_id(), notes["host"], notes["aramid"]))


def load(args, names):
    """This run's stored outputs for names, or None."""
    try:
        with open(os.path.join(args.results, "session")) as f:
            session, host_note, aramid_note = f.read().splitlines()[:3]
        if session != str(session_id()):
            return None
        outputs = {side: {} for side in SIDES}
        for side in SIDES:
            for name in names:
                with open(os.path.join(args.results, "%s.%s" % (name, side))) as f:
                    outputs[side][name] = f.read()
        return outputs, {"host": host_note, "aramid": aramid_note}
    except (OSError, ValueError):
        return None


# ---- comparing ------------------------------------------------------------------------------

def known_divergences(args):
    """known-divergences: "NAME: reason" per line, '#' comments; a reason is required."""
    entries = {}
    with open(os.path.join(args.source, "known-divergences")) as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, _, reason = line.partition(":")
            if not reason.strip():
                raise SystemExit("known-divergences:%d: '%s' has no reason" % (number, line))
            entries[name.strip()] = reason.strip()
    return entries


def verdict(name, host, aramid, divergences):
    """(verdict, report lines) for one program."""
    if host == aramid:
        note = []
        if name in divergences:
            note = ["note: %s is listed in known-divergences but the outputs now agree; "
                    "remove the entry" % name]
        return "passed", note
    diff = list(difflib.unified_diff(host.splitlines(), aramid.splitlines(),
                                     "linux/" + name, "aramid/" + name, lineterm=""))
    if name in divergences:
        return "known-divergent", ["known divergence: " + divergences[name]] + diff
    return "failed", diff


def obtain(args, names, batch):
    found = load(args, names)
    if found is None:
        found = run_programs(args, names, batch)
    return found


def command_prepare(args):
    started = time.monotonic()
    outputs, notes = run_programs(args, args.names, batch=True)
    store(args, outputs, notes)
    print("contract: %d programs, linux: %s; aramid: %s; %.1f s"
          % (len(args.names), notes["host"], notes["aramid"], time.monotonic() - started))
    return 0


def report(args, names, outputs, notes, verbose):
    divergences = known_divergences(args)
    counts = {"passed": 0, "failed": 0, "known-divergent": 0}
    for name in names:
        result, lines = verdict(name, outputs["host"][name], outputs["aramid"][name], divergences)
        counts[result] += 1
        print("%s: %s" % (name, result))
        if verbose:
            for line in lines:
                print("    " + line)
    print("linux: %s; aramid: %s" % (notes["host"], notes["aramid"]))
    print("contract: %d passed, %d failed, %d known-divergent"
          % (counts["passed"], counts["failed"], counts["known-divergent"]))
    return 1 if counts["failed"] else 0


def command_check(args):
    code = 0
    for name in args.names:
        outputs, notes = obtain(args, [name], batch=False)
        result, lines = verdict(name, outputs["host"][name], outputs["aramid"][name],
                                known_divergences(args))
        print("%s: %s (linux: %s; aramid: %s)" % (name, result, notes["host"], notes["aramid"]))
        for line in lines:
            print(line)
        if result == "failed":
            print("linux output:\n" + outputs["host"][name])
            code = 1
    return code


def command_summary(args):
    outputs, notes = obtain(args, args.names, batch=True)
    return report(args, args.names, outputs, notes, verbose=False)


def command_run(args):
    outputs, notes = run_programs(args, args.names, batch=True)
    return report(args, args.names, outputs, notes, verbose=True)


def command_build(args):
    errors = build_all(args, args.names)
    for (side, name), error in sorted(errors.items()):
        print("%s %s: %s" % (side, name, error.rstrip()))
    return 1 if errors else 0


def main(argv):
    args = parse_args(argv)
    commands = {"prepare": command_prepare, "check": command_check, "summary": command_summary,
                "run": command_run, "build": command_build}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

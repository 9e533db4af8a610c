#!/usr/bin/env python3
"""System test: the local APIC timer interrupts and the tick counter advances 1, 2, 3, ..."""
import re
import sys

from harness import boot, expect, parse_args

TICKS = 5


def main():
    args = parse_args()
    result = boot(args, cmdline="ticks=%d shutdown" % TICKS)
    expect(result.code == 0, "kernel exit code %d, expected 0" % result.code, result)
    expect(re.search(r"timer: local APIC timer at 100 Hz, [1-9]\d* counts per tick", result.output),
           "no calibrated timer line", result)
    ticks = [int(t) for t in re.findall(r"timer: tick (\d+)", result.output)]
    expect(ticks and ticks[-1] == TICKS, "ticks seen: %r" % ticks, result)
    expect(ticks == sorted(set(ticks)), "ticks do not strictly increase: %r" % ticks, result)
    print("timer: ok, ticks %r" % ticks)


if __name__ == "__main__":
    sys.exit(main())

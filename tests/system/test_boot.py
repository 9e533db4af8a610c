#!/usr/bin/env python3
"""System test: the kernel boots under TCG, prints its banner, CPU features and memory summary,
and exits 0 when the command line says shutdown."""
import re
import sys

from harness import boot, expect, parse_args


def main():
    args = parse_args()
    result = boot(args, cmdline="shutdown")
    expect(result.code == 0, "kernel exit code %d, expected 0" % result.code, result)
    expect("Aramid 0.1.0" in result.output, "no banner", result)
    features = re.search(r"cpu features: pcid=(yes|no) invpcid=(yes|no) smep=(yes|no) "
                         r"smap=(yes|no) x2apic=(yes|no) tsc-deadline=(yes|no)", result.output)
    expect(features is not None, "no CPU feature line", result)
    memory = re.search(r"memory: (\d+) KiB usable in (\d+) ranges, (\d+) frames free, (\d+) used",
                       result.output)
    expect(memory is not None, "no memory summary", result)
    usable_kib, free_frames = int(memory.group(1)), int(memory.group(3))
    # The runner gives the machine 256 MiB: most of it must be found and free.
    expect(200 * 1024 < usable_kib <= 256 * 1024, "usable memory %d KiB" % usable_kib, result)
    expect(free_frames * 4 <= usable_kib and free_frames * 4 > usable_kib - 4096,
           "free frames %d do not match usable %d KiB" % (free_frames, usable_kib), result)
    expect("shutdown: requested on the command line" in result.output, "no shutdown line", result)
    print("boot: ok")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""System test: unknown and malformed kernel command-line options are reported and ignored,
and the kernel still boots and honours the valid options around them."""
import sys

from harness import boot, expect, parse_args


def main():
    args = parse_args()
    cmdline = "nosuchoption loglevel=99 ticks=abc fault=explode shutdown=1 ticks=2 shutdown"
    result = boot(args, cmdline=cmdline)
    expect(result.code == 0, "kernel exit code %d, expected 0" % result.code, result)
    for message in ["unknown option 'nosuchoption' ignored",
                    "bad value '99' for 'loglevel'",
                    "for 'ticks'",
                    "for 'fault'",
                    "'shutdown'"]:
        expect(message in result.output, "no report containing %r" % message, result)
    expect("kernel fault" not in result.output, "a bad option caused a fault", result)
    expect("timer: tick 2" in result.output, "the valid ticks=2 was not honoured", result)
    print("bad cmdline: ok")


if __name__ == "__main__":
    sys.exit(main())

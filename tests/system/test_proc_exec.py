#!/usr/bin/env python3
"""System test: execve of another module with argv and envp (pid and parent kept), and execve of
a missing module (ENOENT), of a data module, a truncated ELF, an ELF with overlapping segments and
one with a segment at a kernel address, one whose segment offset is not its address modulo
the page size (ENOEXEC) and with too much argv (E2BIG), the caller
surviving each."""
import os
import struct
import sys
import tempfile

from harness import boot_init, expect, expect_init_exit, parse_args


PT_LOAD = 1


def load_headers(image):
    """Offsets of the PT_LOAD program headers of an ELF64 image."""
    phoff, = struct.unpack_from("<Q", image, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", image, 0x36)
    return [phoff + i * phentsize for i in range(phnum)
            if struct.unpack_from("<I", image, phoff + i * phentsize)[0] == PT_LOAD]


def write_bad_elves(directory, good_path):
    """Four broken copies of a valid executable, as (path, module name)."""
    with open(good_path, "rb") as f:
        image = bytearray(f.read())
    loads = load_headers(image)
    # Cut inside the last loadable segment (the file's tail is only debug sections).
    last_offset, = struct.unpack_from("<Q", image, loads[-1] + 8)
    last_size, = struct.unpack_from("<Q", image, loads[-1] + 32)
    truncated = image[:last_offset + last_size // 2]
    overlap = bytearray(image)
    first_vaddr, = struct.unpack_from("<Q", overlap, loads[0] + 16)
    struct.pack_into("<Q", overlap, loads[1] + 16, first_vaddr)
    kernel = bytearray(image)
    struct.pack_into("<Q", kernel, loads[0] + 16, 0xffffffff80000000)
    misaligned = bytearray(image)
    first_offset, = struct.unpack_from("<Q", misaligned, loads[0] + 8)
    struct.pack_into("<Q", misaligned, loads[0] + 8, first_offset + 1)
    modules = []
    for name, data in [("bad_truncated", truncated), ("bad_overlap", overlap),
                       ("bad_kernel", kernel), ("bad_misaligned", misaligned)]:
        path = os.path.join(directory, name)
        with open(path, "wb") as f:
            f.write(data)
        modules.append("%s:%s" % (path, name))
    return modules


def main():
    args = parse_args()
    echo = [spec.rsplit(":", 1)[0] for spec in args.module if spec.endswith(":proc_echo")][0]
    with tempfile.TemporaryDirectory() as directory:
        args.module += write_bad_elves(directory, echo)
        result = boot_init(args, "proc_test exec", timeout=120)
    expect("proc_test: FAIL" not in result.output, "a check failed", result)
    for line in ["echo: argc=3", "echo: argv[0]=proc_echo", "echo: argv[1]=hello world",
                 "echo: argv[2]=second", "echo: envp[0]=ALPHA=1", "echo: envp[1]=BETA=two words",
                 "proc_test: exec with argv and envp ok",
                 "proc_test: bad executables refused with ENOEXEC",
                 "proc_test: execve ENOENT, ENOEXEC, E2BIG ok, caller survives"]:
        expect(line in result.output, "missing: " + line, result)
    expect_init_exit(result, 0)
    print("proc exec: ok")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""SDK check: every function the SDK's headers declare links, and every function posix-shim
provides is declared. usage: test_symbols.py --sdk DIR --source DIR [--print-missing]

1. One translation unit includes every SDK header (build/sdk/include, then newlib's), compiled
   with aramid-cc -D_GNU_SOURCE -aux-info: gcc lists each function declaration it saw.
2. The functions defined (nm) in libposix-shim.a, libsys.a, newlib's libc.a and libm.a and
   libgcc.a, less those whose object needs a symbol nothing defines. A declared function none of
   them defines must be in absent-functions.txt (with why; docs/status.md points there); an
   entry there that is now defined is reported as stale (a note: merges stay green).
3. A program taking the address of every declared and defined function is linked with aramid-cc,
   so two libraries defining one function (a clash the static link would hit) fail here too.
4. Every global function posix-shim defines is declared by an SDK header, or by one of
   posix-shim's private headers (posix-shim/*.h, servers/vfs/tty.h: its internal calls), or is
   one of its assembly helpers (.globl in posix-shim/*.S)."""
import argparse
import os
import re
import subprocess
import sys
import tempfile

# Headers that are not for programs to include alone: newlib's machine and ssp internals, and
# those that need something newlib does not have (listed in absent-functions.txt's header).
SKIPPED_HEADERS = re.compile(r"^(machine/|ssp/|sys/custom_file\.h$|regdef\.h$|utmp\.h$|threads\.h$"
                             r"|ndbm\.h$|stdatomic\.h$)")
# posix-shim's private headers are every posix-shim/*.h (found at run time), and these.
PRIVATE_HEADERS = ["servers/vfs/tty.h"]
# Entry points the program supplies or the start code uses, not library functions.
NOT_LIBRARY = {"aramid_main", "main", "_init", "_fini", "shim_start"}


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--sdk", required=True)
    p.add_argument("--source", required=True, help="tests/sdk")
    p.add_argument("--print-missing", action="store_true",
                   help="print the declared functions nothing defines, one a line")
    return p.parse_args()


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def sdk_headers(sdk):
    headers = set()
    for root in (os.path.join(sdk, "include"), os.path.join(sdk, "sysroot", "include")):
        for directory, _, files in os.walk(root):
            for name in files:
                if name.endswith(".h"):
                    relative = os.path.relpath(os.path.join(directory, name), root)
                    if not SKIPPED_HEADERS.match(relative):
                        headers.add(relative)
    return sorted(headers)


def declared_functions(sdk, work):
    source = os.path.join(work, "all_headers.c")
    with open(source, "w") as out:
        out.write("#include <sys/types.h>\n#include <time.h>\n")
        for header in sdk_headers(sdk):
            out.write("#include <%s>\n" % header)
    aux = os.path.join(work, "declarations.txt")
    cc = os.path.join(sdk, "bin", "aramid-cc")
    proc = subprocess.run([cc, "-D_GNU_SOURCE", "-c", source, "-o", os.path.join(work, "h.o"),
                           "-aux-info", aux], capture_output=True, text=True)
    if proc.returncode != 0:
        fail("the SDK headers do not compile together:\n" + proc.stderr)
    names = {}
    for line in open(aux):
        match = re.match(r"/\* (\S+):\d+:\w+ \*/ extern (.*)", line)
        if not match:
            continue
        path, declaration = match.groups()
        head = declaration.split("(")[0]
        if "static" in head or "inline" in head:
            continue
        name = re.search(r"(\w+)\s*\((?!\*)", declaration)
        if name:
            names[name.group(1)] = path
    return names


def defined_functions(libraries):
    proc = subprocess.run(["nm", "-g", "--defined-only"] + libraries, capture_output=True,
                          text=True, check=True)
    names = set()
    for line in proc.stdout.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] in "TWiV":
            names.add(fields[2])
    return names


# Symbols the link itself provides (linker script, crt0, the program).
LINK_PROVIDED = re.compile(r"^(main|_end|end|_edata|edata|_etext|etext|__bss_start|__ehdr_start|"
                           r"__executable_start|__dso_handle|_GLOBAL_OFFSET_TABLE_|_DYNAMIC|"
                           r"__(preinit|init|fini)_array_(start|end)|_init|_fini|__TMC_END__)$")


def unlinkable_functions(libraries, declared):
    """Declared functions whose object (the first definition in link order) needs, directly or
    through other objects, a symbol nothing defines: the static link would fail on them."""
    proc = subprocess.run(["nm", "-A"] + libraries, capture_output=True, text=True, check=True)
    defines, needs, first = {}, {}, {}
    for line in proc.stdout.splitlines():
        member, _, rest = line.rpartition(":")
        fields = rest.split()
        if len(fields) == 2 and fields[0] == "U":
            needs.setdefault(member, set()).add(fields[1])
        elif len(fields) == 3 and fields[1] not in "Uwv":
            defines.setdefault(member, set()).add(fields[2])
            first.setdefault(fields[2], member)
    broken = {m for m, symbols in needs.items()
              if any(s not in first and not LINK_PROVIDED.match(s) for s in symbols)}
    changed = True
    while changed:
        changed = False
        for member, symbols in needs.items():
            if member not in broken and any(first.get(s) in broken for s in symbols):
                broken.add(member)
                changed = True
    return {name for name in declared if first.get(name) in broken}


def absent_list(source):
    absent = {}
    for line in open(os.path.join(source, "absent-functions.txt")):
        line = line.split("#", 1)
        name = line[0].strip()
        if name:
            absent[name] = line[1].strip() if len(line) > 1 else ""
    return absent


def private_declarations(source):
    """posix-shim's internal calls: declared in its private headers, or assembly helpers."""
    root = os.path.normpath(os.path.join(source, "..", ".."))
    names = set()
    shim_headers = sorted("posix-shim/" + name for name in os.listdir(os.path.join(root, "posix-shim"))
                          if name.endswith(".h"))
    for header in shim_headers + PRIVATE_HEADERS:
        text = open(os.path.join(root, header)).read()
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        names.update(re.findall(r"\b(\w+)\s*\(", text))
    shim = os.path.join(root, "posix-shim")
    for name in os.listdir(shim):
        if name.endswith(".S"):
            for symbols in re.findall(r"\.globl\s+([\w ,]+)", open(os.path.join(shim, name)).read()):
                names.update(symbol.strip() for symbol in symbols.split(","))
    return names


def link_every_function(sdk, work, names):
    """Links a program that refers to each function, so the static link resolves every one."""
    source = os.path.join(work, "every_function.c")
    with open(source, "w") as out:
        out.write("#include \"all_headers.c\"\n")
        out.write("void *const every_function[] = {\n")
        for name in sorted(names):
            out.write("    (void *)&%s,\n" % name)
        out.write("};\nint main(void) { return every_function[0] == 0; }\n")
    cc = os.path.join(sdk, "bin", "aramid-cc")
    proc = subprocess.run([cc, "-D_GNU_SOURCE", "-w", "-o", os.path.join(work, "every_function"),
                           source], capture_output=True, text=True, cwd=work)
    if proc.returncode != 0:
        fail("a program using every declared function does not link:\n" + proc.stderr[-6000:])


def main():
    args = parse_args()
    args.sdk = os.path.abspath(args.sdk)
    lib = os.path.join(args.sdk, "lib")
    sysroot_lib = os.path.join(args.sdk, "sysroot", "lib")
    libgcc = subprocess.run(["gcc", "-print-libgcc-file-name"], capture_output=True, text=True,
                            check=True).stdout.strip()
    shim = os.path.join(lib, "libposix-shim.a")
    libraries = [shim, os.path.join(lib, "libsys.a"), os.path.join(sysroot_lib, "libc.a"),
                 os.path.join(sysroot_lib, "libm.a"), libgcc]
    with tempfile.TemporaryDirectory(prefix="aramid-symbols-") as work:
        declared = declared_functions(args.sdk, work)
        defined = defined_functions(libraries) - unlinkable_functions(
            [os.path.join(lib, "crt0.o")] + libraries, declared)
        missing = sorted(set(declared) - defined - NOT_LIBRARY)
        if args.print_missing:
            for name in missing:
                print("%-32s # %s" % (name, declared[name].split("/include/")[-1]))
            return 0
        absent = absent_list(args.source)
        unlisted = [n for n in missing if n not in absent]
        stale = sorted(n for n in absent if n not in missing)
        problems = []
        if unlisted:
            problems.append("declared but not defined anywhere (implement, or list in "
                            "tests/sdk/absent-functions.txt): " +
                            ", ".join("%s (%s)" % (n, declared[n].split("/include/")[-1])
                                      for n in unlisted))
        if stale:
            # A note, not a failure: a branch that implements one of them merges cleanly.
            print("note: listed as absent but now defined or no longer declared (remove from "
                  "tests/sdk/absent-functions.txt): " + ", ".join(stale))
        undeclared = sorted(defined_functions([shim]) - set(declared) -
                            private_declarations(args.source) - NOT_LIBRARY)
        if undeclared:
            problems.append("posix-shim defines these but no SDK header declares them: " +
                            ", ".join(undeclared))
        if problems:
            fail("\n".join(problems))
        linked = (set(declared) & defined) - NOT_LIBRARY
        link_every_function(args.sdk, work, linked)
        print("sdk symbols: %d functions declared, %d of them link (one program refers to "
              "each), %d absent as listed; every posix-shim function is declared"
              % (len(declared), len(linked), len(missing)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""tools/fetch-debian-source derives its private deb-src list from the machine's Debian entries
(deb822 first, then the one-line form) and rejects bad arguments; no network needed."""
import os
import subprocess
import sys
import tempfile

script = sys.argv[1]
failures = []
checks = []


def derive(files):
    """--print-sources for an /etc/apt made of files {relative path: text}: (exit, stdout)."""
    with tempfile.TemporaryDirectory() as etc:
        for relative, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(etc, relative)), exist_ok=True)
            with open(os.path.join(etc, relative), "w") as f:
                f.write(text)
        proc = subprocess.run([script, "--print-sources"], env=dict(os.environ, ARAMID_APT_ETC=etc),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return proc.returncode, proc.stdout


def expect(name, got, wanted):
    checks.append(name)
    if got != wanted:
        failures.append("%s: got %r, wanted %r" % (name, got, wanted))


KEY = "Signed-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n mQINBF\n -----END PGP PUBLIC KEY BLOCK-----\n"
deb822 = ("# a comment\nTypes: deb\nURIs: http://mirror.invalid/debian\nSuites: bookworm bookworm-updates\n"
          "Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
          "Types: deb deb-src\nURIs: http://mirror.invalid/debian-security\nSuites: bookworm-security\n"
          "Components: main contrib\n" + KEY + "\n"
          "Types: deb\nEnabled: no\nURIs: http://off.invalid/debian\nSuites: bookworm\nComponents: main\n\n"
          "Types: deb-src\nURIs: http://src.invalid/debian\nSuites: bookworm\nComponents: main\n")
expect("deb822", derive({"sources.list.d/debian.sources": deb822}), (0,
       "Types: deb-src\nURIs: http://mirror.invalid/debian\nSuites: bookworm bookworm-updates\n"
       "Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
       "Types: deb-src\nURIs: http://mirror.invalid/debian-security\nSuites: bookworm-security\n"
       "Components: main contrib\n" + KEY))

one_line = ("deb http://mirror.invalid/debian bookworm main\n# deb http://commented.invalid x main\n"
            "deb [arch=amd64 signed-by=/k.gpg] http://mirror.invalid/sec bookworm-security main # c\n"
            "deb-src http://src.invalid/debian bookworm main\n")
expect("sources.list", derive({"sources.list": one_line}), (0,
       "deb-src http://mirror.invalid/debian bookworm main\n"
       "deb-src [arch=amd64 signed-by=/k.gpg] http://mirror.invalid/sec bookworm-security main\n"))

# deb822 wins when both exist; a deb822 file without a deb entry falls back to sources.list.
expect("both", derive({"sources.list.d/debian.sources": deb822, "sources.list": one_line})[1]
       .startswith("Types: deb-src\nURIs: http://mirror.invalid/debian\n"), True)
expect("fallback", derive({"sources.list.d/debian.sources": "Types: deb-src\nURIs: http://x\n",
                           "sources.list": one_line})[1].splitlines()[0],
       "deb-src http://mirror.invalid/debian bookworm main")
expect("no entry", derive({"sources.list": "# nothing\n"}), (1, ""))

for bad in ([], ["dash"], ["--dsc"], ["--dsc", "../etc"], ["Dash", "/tmp/x"], ["a", "b", "c"]):
    proc = subprocess.run([script] + bad, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    expect("arguments %r" % bad, proc.returncode, 2)

for failure in failures:
    print("FAIL " + failure)
print("%d passed, %d failed" % (len(checks) - len(failures), len(failures)))
sys.exit(1 if failures else 0)

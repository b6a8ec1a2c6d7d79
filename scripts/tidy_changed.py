#!/usr/bin/env python3
"""The .cc files of src/ that clang-tidy must check again since a commit that was tidy-clean.

  scripts/tidy_changed.py BASE_COMMIT

Prints one path per line. A .cc file is listed when it changed since BASE_COMMIT (committed or
not), or when it includes, directly or through other headers of the repository, a header that
changed. Prints ALL instead when every file must be checked: BASE_COMMIT is not in this
clone's history, or a file that applies to every translation unit of src/ changed (a
.clang-tidy, the top-level or a src/ CMakeLists.txt, a CMake module).
"""
import os
import re
import subprocess
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
# What sets the compile commands or the checks of src/: the top-level and src/ CMake files, CMake
# modules, and the .clang-tidy files (tests/ and fuzz/ CMake files build other targets).
EVERYTHING = re.compile(r'^((src/.*)?CMakeLists\.txt|.*\.cmake|(src/.*)?\.clang-tidy)$')


def git(*args):
    return subprocess.run(["git"] + list(args), check=True, capture_output=True,
                          text=True).stdout


def main():
    base = sys.argv[1]
    if subprocess.run(["git", "cat-file", "-e", base + "^{commit}"],
                      capture_output=True).returncode != 0:
        print("ALL")
        return 0
    changed = set(git("diff", "--name-only", base, "--").split())
    changed |= set(git("ls-files", "--others", "--exclude-standard").split())
    if any(EVERYTHING.search(f) for f in changed):
        print("ALL")
        return 0
    sources = [f for f in git("ls-files", "src").split() if f.endswith((".cc", ".h"))]
    # includes[f]: the repository files f includes, resolved against src/ and f's directory.
    known = set(sources)
    includes = {}
    for f in sources:
        with open(f, encoding="utf-8", errors="replace") as fh:
            names = INCLUDE.findall(fh.read())
        resolved = set()
        for n in names:
            for cand in (os.path.join("src", n), os.path.normpath(os.path.join(
                    os.path.dirname(f), n))):
                if cand in known:
                    resolved.add(cand)
                    break
        includes[f] = resolved
    dirty = {f for f in changed if f in known}
    # Every file that reaches a dirty header is dirty: iterate to a fixed point.
    grew = True
    while grew:
        grew = False
        for f, inc in includes.items():
            if f not in dirty and inc & dirty:
                dirty.add(f)
                grew = True
    for f in sorted(d for d in dirty if d.endswith(".cc") and os.path.exists(d)):
        print(f)
    return 0


if __name__ == "__main__":
    sys.exit(main())

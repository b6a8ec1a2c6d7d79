#!/usr/bin/env python3
"""The layers of DESIGN.md section 3, as the sources' includes show them.

Front ends (src/cli, and src/web once it exists) reach the system only through the
application layer (src/app): they include no store header and never call App::store(). The
engine and everything under it know nothing of the application layer or the front ends; the
application layer knows nothing of the front ends. Before checking the tree, the test checks
itself on a planted violation.
"""
import pathlib
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

# directory -> include prefixes it must not use
FORBIDDEN = {
    "cli": ("store/",),
    "web": ("store/", "cli/"),
    "app": ("cli/", "web/"),
    "engine": ("app/", "cli/", "web/", "notify/"),
    "notify": ("app/", "cli/", "web/"),
    "store": ("app/", "cli/", "web/", "engine/"),
    "ingest": ("app/", "cli/", "web/", "engine/", "store/"),
    "core": ("app/", "cli/", "web/", "engine/", "store/", "ingest/"),
}
# Only the store's backends and its opener (store/open_store.cc) reach a backend; every other
# layer sees the Store interface (the build refuses it too: VIGIL_STORE_BACKEND).
BACKENDS = ("store/sqlite/", "store/postgres/")
for _d in ("app", "engine", "notify", "report", "config", "net", "audit", "cvss"):
    FORBIDDEN[_d] = FORBIDDEN.get(_d, ()) + BACKENDS
# What a front end must not call.
FRONT_END_CALLS = re.compile(r"(?:->|\.)store\(\)")


def violations(src: pathlib.Path):
    out = []
    for d, prefixes in FORBIDDEN.items():
        for f in sorted((src / d).rglob("*")):
            if f.suffix not in (".cc", ".h"):
                continue
            text = f.read_text(encoding="utf-8")
            for inc in INCLUDE.findall(text):
                if inc.startswith(prefixes):
                    out.append(f"{f.relative_to(src)}: includes {inc}")
            if d in ("cli", "web") and FRONT_END_CALLS.search(text):
                out.append(f"{f.relative_to(src)}: calls store() (front ends use app/service.h)")
    return out


def self_test():
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        (root / "cli").mkdir()
        (root / "cli" / "bad.cc").write_text('#include "store/store.h"\nx = app->store();\n')
        found = violations(root)
        assert len(found) == 2, found


def main():
    self_test()
    src = pathlib.Path(sys.argv[1])
    found = violations(src)
    for v in found:
        print("layer violation:", v)
    if found:
        sys.exit(1)
    print(f"layers: ok ({len(FORBIDDEN)} layers checked)")


if __name__ == "__main__":
    main()

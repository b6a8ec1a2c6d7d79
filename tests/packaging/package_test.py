#!/usr/bin/env python3
"""The Debian package and `cmake --install` (docs/deployment.md).

Builds the .deb with CPack from the release build, then checks what an operator gets: the
control fields and dependencies, the files (binary, systemd unit, configuration as conffiles,
docs), maintainer scripts that parse, a unit systemd accepts, and a packaged binary that
creates a database from the packaged configuration. `cmake --install --prefix` lays out the
same files under DESTDIR. Usage: package_test.py BUILD_DIR SOURCE_DIR
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from cli_test import RESULTS, check  # noqa: E402


def run(*args, **kw):
    return subprocess.run(list(args), capture_output=True, text=True, **kw)


def main():
    build, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    vigil = os.path.join(build, "vigil")
    version = run(vigil, "--version").stdout.split()[-1]
    with tempfile.TemporaryDirectory() as d:
        # CPack into a directory of its own, so that the test leaves the build as it was.
        p = run("cpack", "-G", "DEB", "-B", os.path.join(d, "out"), cwd=build)
        debs = [f for f in os.listdir(os.path.join(d, "out"))
                if f.endswith(".deb")] if p.returncode == 0 else []
        check("cpack builds one .deb", len(debs) == 1, p.stdout + p.stderr)
        if not debs:
            return
        deb = os.path.join(d, "out", debs[0])
        check("named vigil_VERSION_ARCH.deb", re.fullmatch(
            rf"vigil_{re.escape(version)}_[a-z0-9]+\.deb", debs[0]), debs[0])
        field = lambda f: run("dpkg-deb", "-f", deb, f).stdout.strip()
        check("Package vigil, the binary's version", field("Package") == "vigil" and
              field("Version") == version, (field("Package"), field("Version")))
        depends = field("Depends")
        check("depends on adduser and the libraries it links (shlibdeps)", all(
            x in depends for x in ("adduser", "libmicrohttpd12", "libsqlite3-0", "libssl3",
                                   "libc6")), depends)
        listing = run("dpkg-deb", "-c", deb).stdout
        files = {line.split()[-1] for line in listing.splitlines()}
        for f in ("./usr/bin/vigil", "./usr/lib/systemd/system/vigil.service",
                  "./etc/vigil/vigil.toml", "./etc/default/vigil",
                  "./usr/share/doc/vigil/server.md", "./usr/share/doc/vigil/deployment.md",
                  "./usr/share/doc/vigil/api/openapi.yaml",
                  "./usr/share/doc/vigil/examples/week1-network.nessus"):
            check(f"the package holds {f[1:]}", f in files)
        check("nothing under /usr/local", not any(f.startswith("./usr/local") for f in files))
        ctrl = os.path.join(d, "control")
        run("dpkg-deb", "-e", deb, ctrl)
        with open(os.path.join(ctrl, "conffiles")) as f:
            conffiles = f.read().split()
        check("the configuration files are conffiles (an upgrade keeps the operator's edits)",
              sorted(conffiles) == ["/etc/default/vigil", "/etc/vigil/vigil.toml"], conffiles)
        for script in ("postinst", "prerm", "postrm"):
            path = os.path.join(ctrl, script)
            p = run("sh", "-n", path)
            check(f"{script} is an executable shell script that parses",
                  os.access(path, os.X_OK) and p.returncode == 0, p.stderr)
        with open(os.path.join(ctrl, "postinst")) as f:
            postinst = f.read()
        check("postinst creates the vigil system user and migrates an existing database",
              "adduser --system" in postinst and "init --config /etc/vigil/vigil.toml" in postinst
              and re.search(r'vigil --db "\$db" init\n', postinst), postinst[:200])

        root = os.path.join(d, "root")
        run("dpkg-deb", "-x", deb, root)
        packaged = os.path.join(root, "usr", "bin", "vigil")
        p = run(packaged, "--version")
        check("the packaged binary runs", p.returncode == 0 and version in p.stdout, p.stderr)
        db = os.path.join(d, "fresh.db")
        p = run(packaged, "--db", db, "init", "--config",
                os.path.join(root, "etc", "vigil", "vigil.toml"))
        check("the packaged configuration creates a database", p.returncode == 0, p.stderr)
        p = run(packaged, "--db", db, "config", "show")
        check("with the NCSSR v1.7 clocks in force", p.returncode == 0 and
              'profiles = ["ncssr-1.7"]' in p.stdout, p.stdout + p.stderr)

        with open(os.path.join(root, "usr", "lib", "systemd", "system", "vigil.service")) as f:
            unit = f.read()
        check("the unit runs vigil serve as the vigil user, hardened",
              "User=vigil" in unit and "ExecStart=/usr/bin/vigil serve" in unit and
              "ProtectSystem=strict" in unit and "ReadWritePaths=/var/lib/vigil" in unit and
              "EnvironmentFile=-/etc/default/vigil" in unit, unit)
        units = os.path.join(d, "units")
        os.makedirs(units)
        with open(os.path.join(units, "vigil.service"), "w") as f:
            f.write(unit.replace("/usr/bin/vigil", packaged))
        p = run("systemd-analyze", "verify", os.path.join(units, "vigil.service"))
        check("systemd-analyze verify accepts the unit, without a warning",
              p.returncode == 0 and not p.stderr.strip() and not p.stdout.strip(),
              p.stdout + p.stderr)

        # A staged install (DESTDIR), as a distribution's packaging does it: the prefix of the
        # release build is /usr, so the configuration goes to /etc.
        stage = os.path.join(d, "stage")
        p = run("cmake", "--install", build, env=dict(os.environ, DESTDIR=stage))
        check("cmake --install lays out the binary, the unit and the configuration",
              p.returncode == 0 and all(os.path.exists(os.path.join(stage, x)) for x in (
                  "usr/bin/vigil", "usr/lib/systemd/system/vigil.service",
                  "etc/vigil/vigil.toml", "etc/default/vigil",
                  "usr/share/doc/vigil/examples/README.md")), p.stdout + p.stderr)


if __name__ == "__main__":
    main()
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    sys.exit(1 if RESULTS["failed"] else 0)

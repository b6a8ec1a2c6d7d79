#!/usr/bin/env python3
"""A throwaway PostgreSQL 15 cluster for tests (standard library only).

  pg_cluster.py                 starts a cluster, prints its URL and leaves it running
                                (stop it with: pg_cluster.py --stop DIR)
  pg_cluster.py -- CMD ARGS...  runs CMD with VIGIL_PG_URL set to a fresh database, then stops
                                the cluster and removes it whatever happens; exits with CMD's code
  pg_cluster.py --durable ...   the same with PostgreSQL's default durability (fsync, full-page
                                writes, synchronous commit): for benchmarks

The cluster lives in a temporary directory: trust authentication for the user vigil, a Unix
socket in that directory and no TCP port, UTF-8 with the C locale, durability off (fsync,
full-page writes and synchronous commit: a test database is thrown away). initdb refuses to run
as root, so as root the server runs as the user `nobody`. PG_BIN overrides the directory of
initdb and pg_ctl.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile

PG_BIN = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")
DB_NAME = "vigil_test"
USER = "vigil"


def as_server_user(argv):
    """The command line that runs argv as the server's user (nobody when we are root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "nobody", "--"] + argv
    return argv


def run(argv, **kwargs):
    return subprocess.run(as_server_user(argv), check=True, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, **kwargs)


DURABLE = False


def start():
    base = tempfile.mkdtemp(prefix="vigil-pg-")
    os.chmod(base, 0o755)
    data = os.path.join(base, "data")
    sock = os.path.join(base, "sock")
    os.mkdir(sock)
    if os.geteuid() == 0:
        import pwd
        nobody = pwd.getpwnam("nobody")
        os.chown(base, nobody.pw_uid, nobody.pw_gid)
        os.chown(sock, nobody.pw_uid, nobody.pw_gid)
    # The socket directory must be reachable by the test process: world-writable sockets are
    # PostgreSQL's default (unix_socket_permissions 0777).
    os.chmod(sock, 0o777)
    try:
        run([os.path.join(PG_BIN, "initdb"), "-D", data, "-A", "trust", "-U", USER, "--no-sync",
             "-E", "UTF8", "--locale=C"])
        opts = "-k {} -c listen_addresses='' -c max_connections=40".format(sock)
        if not DURABLE:
            opts += " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        run([os.path.join(PG_BIN, "pg_ctl"), "-D", data, "-o", opts, "-w", "-t", "60",
             "-l", os.path.join(base, "server.log"), "start"])
        run([os.path.join(PG_BIN, "createdb"), "-h", sock, "-U", USER, DB_NAME])
    except subprocess.CalledProcessError as e:
        sys.stderr.write("pg_cluster: {} failed:\n{}".format(" ".join(e.cmd), e.stdout or ""))
        log = os.path.join(base, "server.log")
        if os.path.exists(log):
            sys.stderr.write(open(log, encoding="utf-8", errors="replace").read())
        stop(base)
        raise SystemExit(2)
    url = "postgresql:///{}?host={}&user={}".format(DB_NAME, sock, USER)
    return base, url


def stop(base):
    data = os.path.join(base, "data")
    if os.path.exists(os.path.join(data, "postmaster.pid")):
        subprocess.run(as_server_user([os.path.join(PG_BIN, "pg_ctl"), "-D", data, "-m",
                                       "immediate", "-w", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    shutil.rmtree(base, ignore_errors=True)


def main(argv):
    global DURABLE
    if argv and argv[0] == "--durable":
        DURABLE = True
        argv = argv[1:]
    if len(argv) >= 2 and argv[0] == "--stop":
        stop(argv[1])
        return 0
    if not argv:
        base, url = start()
        print(url)
        print("# stop with: {} --stop {}".format(sys.argv[0], base), file=sys.stderr)
        return 0
    if argv[0] != "--" or len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    base, url = start()
    # A signal ends the command and still stops the cluster.
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda signum, frame: (_ for _ in ()).throw(KeyboardInterrupt()))
    env = dict(os.environ, VIGIL_PG_URL=url)
    child = None
    try:
        child = subprocess.Popen(argv[1:], env=env)
        return child.wait()
    except KeyboardInterrupt:
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        return 130
    except OSError as e:
        sys.stderr.write("pg_cluster: cannot run {}: {}\n".format(argv[1], e))
        return 127
    finally:
        stop(base)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""End-to-end: RFC 3161 time-stamps of checkpoints against a local time-stamping authority.

The harness makes a CA and a TSA certificate with openssl, and serves `openssl ts -reply`
behind a small HTTP responder on 127.0.0.1 (paths: / answers properly, /garbage answers
bytes that are no time-stamp response, /refuse answers HTTP 500, /other answers with a TSA of
another CA). vigil must store and verify good tokens, refuse bad answers without storing a
checkpoint, and name a checkpoint whose token was changed.

Usage: tsa_test.py VIGIL_BINARY [--sanitized]
"""

import base64
import http.server
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_test import RESULTS, check, run, write  # noqa: E402

TS_CONFIG = """
[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
serial = {dir}/serial
crypto_device = builtin
signer_cert = {dir}/{name}.crt
certs = {dir}/{ca}.crt
signer_key = {dir}/{name}.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, capture_output=True)


def make_pki(d):
    ext = write(d, "tsa.ext", "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                "extendedKeyUsage=critical,timeStamping\n")
    for ca, tsa in (("ca", "tsa"), ("ca2", "tsa2")):
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", ca + ".key", "-out", ca + ".crt", "-subj", "/CN=Test " + ca,
                "-days", "3650", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=d)
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", tsa + ".key", "-out", tsa + ".csr", "-subj", "/CN=Test " + tsa, cwd=d)
        openssl("x509", "-req", "-in", tsa + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
                "-CAcreateserial", "-out", tsa + ".crt", "-days", "3650", "-extfile", ext, cwd=d)
        write(d, tsa + ".cnf", TS_CONFIG.format(dir=d, name=tsa, ca=ca))
    write(d, "serial", "01\n")


class Responder(http.server.BaseHTTPRequestHandler):
    directory = ""

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/refuse":
            self.send_response(500)
            self.end_headers()
            return
        if self.path == "/garbage":
            reply = b"this is not DER"
        else:
            name = "tsa2" if self.path == "/other" else "tsa"
            with tempfile.NamedTemporaryFile(dir=self.directory, delete=False) as q:
                q.write(body)
            out = q.name + ".tsr"
            subprocess.run(["openssl", "ts", "-reply", "-config",
                            os.path.join(self.directory, name + ".cnf"), "-queryfile", q.name,
                            "-out", out], check=True, capture_output=True)
            reply = open(out, "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)


def config(d, name, url, cert="ca.crt"):
    text = '[audit]\ntsa_url = "%s"\n' % url
    if cert:
        text += 'tsa_certificate = "%s"\n' % os.path.join(d, cert)
    return write(d, name, text)


def checkpoints(db):
    con = sqlite3.connect(db)
    n = con.execute("SELECT count(*) FROM checkpoints").fetchone()[0]
    con.close()
    return n


def test_tsa(d):
    make_pki(d)
    Responder.directory = d
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Responder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % server.server_address[1]
    try:
        good = config(d, "good.toml", base + "/")
        db = os.path.join(d, "tsa.db")
        p = run("init", db=db, config=good)
        check("init with a TSA configured", p.returncode == 0, p.stderr)
        p = run("audit", "checkpoint", db=db, config=good)
        check("a checkpoint is time-stamped by the TSA",
              p.returncode == 0 and "time-stamped by " + base in p.stderr, p.stderr)
        p = run("audit", "verify", db=db, config=good)
        check("verify checks the token", p.returncode == 0 and "1 with RFC 3161" in p.stdout,
              p.stdout + p.stderr)

        # The configuration is recorded state: each TSA is put in force with config apply.
        for path, text in (("/garbage", "not an RFC 3161 time-stamp response"),
                           ("/refuse", "answered HTTP 500"),
                           ("/other", "does not verify")):
            cfg = config(d, "bad%s.toml" % path.strip("/"), base + path)
            run("config", "apply", cfg, db=db)
            p = run("audit", "checkpoint", db=db)
            check("a bad TSA answer (%s) stores no checkpoint" % path,
                  p.returncode != 0 and text in p.stderr and checkpoints(db) == 1, p.stderr)
        unreachable = config(d, "down.toml", "http://127.0.0.1:9/")
        run("config", "apply", unreachable, db=db)
        p = run("audit", "checkpoint", db=db)
        check("an unreachable TSA stores no checkpoint",
              p.returncode != 0 and "127.0.0.1:9" in p.stderr and checkpoints(db) == 1, p.stderr)

        run("config", "apply", write(d, "no-tsa.toml", "[check]\nstale_after = \"30d\"\n"),
            db=db)
        p = run("audit", "verify", db=db)
        check("a token with no trust configured to check it is reported",
              p.returncode == 1 and "no [audit] tsa_certificate" in p.stdout, p.stdout)
        run("config", "apply", good, db=db)
        p = run("audit", "verify", "--tsa-ca", os.path.join(d, "ca2.crt"), db=db)
        check("a token from a TSA the trust file does not name fails",
              p.returncode == 1 and "checkpoint #1" in p.stdout and "RFC 3161" in p.stdout,
              p.stdout)

        con = sqlite3.connect(db)
        (token,) = con.execute("SELECT tsa_response FROM checkpoints WHERE id = 1").fetchone()
        raw = bytearray(base64.b64decode(token))
        # The token's time (a GeneralizedTime in the signed TSTInfo): one second later.
        at = raw.find(b"\x18\x0f")
        raw[at + 2 + 13] = ord("0") + (raw[at + 2 + 13] - ord("0") + 1) % 10
        con.execute("UPDATE checkpoints SET tsa_response = ? WHERE id = 1",
                    (base64.b64encode(bytes(raw)).decode(),))
        con.commit()
        con.close()
        p = run("audit", "verify", db=db, config=good)
        check("a changed token is caught and named",
              p.returncode == 1 and "FAIL checkpoint #1" in p.stdout and "RFC 3161" in p.stdout,
              p.stdout)
        con = sqlite3.connect(db)
        con.execute("UPDATE checkpoints SET tsa_response = ?, tsa_time = tsa_time + 3600 "
                    "WHERE id = 1", (token,))
        con.commit()
        con.close()
        p = run("audit", "verify", db=db, config=good)
        check("a stored time-stamp time that is not the token's is caught",
              p.returncode == 1 and "is not the token's" in p.stdout, p.stdout)

        db2 = os.path.join(d, "pack.db")
        run("init", db=db2, config=good)
        out = os.path.join(d, "pack")
        p = run("report", "--from", "2026-01-01T00:00:00Z", "--to", "2026-12-31T00:00:00Z",
                "--out", out, db=db2, config=good)
        check("the evidence pack carries the checkpoint's time-stamp",
              p.returncode == 0 and os.path.exists(os.path.join(out, "checkpoint.tsr")), p.stderr)
        v = subprocess.run(["openssl", "ts", "-verify", "-in", os.path.join(out, "checkpoint.tsr"),
                            "-data", os.path.join(out, "checkpoint.txt"), "-CAfile",
                            os.path.join(d, "ca.crt")], capture_output=True, text=True)
        check("openssl ts -verify accepts the pack's time-stamp, as VERIFY.md says",
              v.returncode == 0 and "OK" in v.stdout, v.stdout + v.stderr)
        check_pack_timestamp(d, out, db2, good)

        p = run("config", "apply", write(d, "nocert.toml", '[audit]\ntsa_url = "%s/"\n' % base),
                db=db)
        check("a TSA URL without a trust file is refused in the configuration",
              p.returncode == 2 and "tsa_certificate" in p.stderr, p.stderr)
    finally:
        server.shutdown()


def check_pack_timestamp(d, out, db, cfg):
    """vigil audit verify --bundle checks the pack's time-stamp, its verifier key when given,
    and names malformed or changed files."""
    import shutil  # noqa: PLC0415
    p = run("audit", "verify", "--bundle", out)
    check("verify --bundle checks the pack's time-stamp against its tsa-ca.pem",
          p.returncode == 0 and "1 with RFC 3161" in p.stdout and "existed at" in p.stdout and
          "pack's own tsa-ca.pem" in p.stdout and "pack's own verifier key" in p.stdout,
          p.stdout + p.stderr)
    key = run("audit", "key", db=db, config=cfg).stdout.strip()
    p = run("audit", "verify", "--bundle", out, "--key", key, "--tsa-ca",
            os.path.join(d, "ca.crt"))
    check("with the operator's key and the TSA's CA given, nothing is left to trust",
          p.returncode == 0 and "pack's own" not in p.stdout and "1 with RFC 3161" in p.stdout,
          p.stdout + p.stderr)
    p = run("audit", "verify", "--bundle", out, "--tsa-ca", os.path.join(d, "ca2.crt"))
    check("a time-stamp from a TSA the given CA did not certify fails",
          p.returncode == 1 and "FAIL checkpoint.tsr" in p.stdout, p.stdout)
    other = run("init", db=os.path.join(d, "other.db")).stdout
    other_key = [ln.split(": ", 1)[1] for ln in other.splitlines() if "verifier key" in ln]
    p = run("audit", "verify", "--bundle", out, "--key", other_key[0] if other_key else "x")
    check("a pack signed by another key than the one given fails",
          p.returncode == 1 and "FAIL verifier-key.txt is" in p.stdout, p.stdout)

    def broken(name, edit):
        copy = os.path.join(d, "pack-" + name.replace(".", "-"))
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(out, copy)
        path = os.path.join(copy, name)
        with open(path, "rb") as f:
            data = f.read()
        with open(path, "wb") as f:
            f.write(edit(data))
        return run("audit", "verify", "--bundle", copy)

    def flip_last(data):
        return data[:-10] + bytes([data[-10] ^ 1]) + data[-9:]
    p = broken("checkpoint.tsr", flip_last)
    check("a changed checkpoint.tsr is caught",
          p.returncode == 1 and "FAIL checkpoint.tsr" in p.stdout, p.stdout)
    p = broken("events.jsonl",
               lambda data: re.sub(rb'^[{]"seq":([0-9]+),', rb'{"seq":"\1",', data, count=1))
    check("a malformed event line is named by file and line, not a crash",
          p.returncode == 1 and "FAIL events.jsonl line 1 is not an event" in p.stdout,
          p.stdout + p.stderr)
    p = broken("proofs.jsonl", lambda data: b'{"seq": 1, "proof": [42]}\n' + data)
    check("a malformed proof line is named by file and line",
          p.returncode == 1 and "FAIL proofs.jsonl line 1 is not an inclusion proof" in p.stdout,
          p.stdout + p.stderr)
    p = broken("manifest.json", lambda data: data)
    check("an untouched copy verifies", p.returncode == 0, p.stdout + p.stderr)


def main():
    with tempfile.TemporaryDirectory(prefix="vigil-tsa-") as d:
        test_tsa(d)
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())

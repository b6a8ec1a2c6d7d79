#!/usr/bin/env python3
"""Loopback SMTP server for vigil's notification tests (aiosmtpd Controller).

Usage:
  python3 tests/notify/mail_server.py --port 0 --out MESSAGES.jsonl --ready-file PATH
      [--tls off|starttls|implicit] [--cert-dir DIR] [--auth USER:PASSWORD]
      [--delay-rcpt SECONDS] [--delay-data SECONDS] [--fail-data N] [-v]

Listens on 127.0.0.1 only. Once it accepts connections it writes the real port
to --ready-file (atomically: write + rename) and prints it on stdout. Runs until
SIGTERM/SIGINT, then exits 0.

Each accepted message is appended to --out as one JSON line (flush + fsync):
  {"mail_from": str, "rcpt_tos": [str], "data": str, "tls": bool,
   "auth_user": str|null, "received_at": unix float}
"data" is the raw message exactly as received after dot-unstuffing (CRLF line
ends kept, trailing CRLF included) decoded as UTF-8 with errors="surrogateescape":
UTF-8 text reads naturally, and any other byte becomes a lone surrogate written
as \\udcXX by json (the file stays ASCII). Recover the exact bytes with
record["data"].encode("utf-8", "surrogateescape").

TLS (--tls starttls | implicit): --cert-dir (default: the directory of --out)
gets, if missing, a throw-away test CA and a server certificate made with the
openssl command line:
  ca.pem      self-signed test CA (trust this one)
  ca.key      its key
  server.pem  server certificate, subjectAltName DNS:localhost, IP:127.0.0.1
  server.key  its key
A client trusts the server by using ca.pem as its CA bundle and connecting to
"localhost" or "127.0.0.1" (both match the certificate), e.g.:
  curl:     --cacert DIR/ca.pem   (libcurl: CURLOPT_CAINFO = DIR/ca.pem)
  Python:   ssl.create_default_context(cafile="DIR/ca.pem")
  openssl:  openssl s_client -starttls smtp -CAfile DIR/ca.pem -connect 127.0.0.1:PORT
  starttls: STARTTLS is offered and required before MAIL (530 otherwise);
            with --auth, AUTH is only offered after STARTTLS.
  implicit: TLS from the first byte (SMTPS, like port 465; smtps:// in curl).

--auth USER:PASSWORD: AUTH PLAIN and LOGIN, required before MAIL (530 5.7.0);
wrong credentials get 535 5.7.8. With --tls off, AUTH works in clear text.

--delay-rcpt S: every RCPT TO is answered after S seconds (asyncio.sleep, so
other connections are served meanwhile). A client that disconnects during the
wait leaves no message behind.
--delay-data S: after the message body (end-of-data dot), wait S seconds, then
store and answer 250. If the client disconnects during the wait, aiosmtpd
cancels the session and the message is NOT stored.
--fail-data N: the first N messages (counted across all connections) are
answered "451 4.3.0 try again later" at end of DATA and not stored.
"""

import argparse
import asyncio
import fcntl
import hmac
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import warnings

try:
    import aiosmtpd  # noqa: F401
except ImportError:
    # The machine's default python3 (pyenv) may lack Debian's python3-aiosmtpd,
    # which is installed for /usr/bin/python3: re-exec there (same PID).
    system_python = "/usr/bin/python3"
    if os.environ.get("VIGIL_MAIL_SERVER_REEXEC") != "1" and os.path.exists(system_python) \
            and os.path.realpath(sys.executable) != os.path.realpath(system_python):
        os.environ["VIGIL_MAIL_SERVER_REEXEC"] = "1"
        os.execv(system_python, [system_python] + sys.argv)
    sys.exit("mail_server.py: cannot import aiosmtpd (apt-get install python3-aiosmtpd)")

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

LISTEN_HOST = "127.0.0.1"


# --------------------------------------------------------------------------- TLS

def _openssl(*args, cwd):
    res = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args)} failed:\n{res.stderr}")


def ensure_certs(cert_dir):
    """Create ca.pem/ca.key/server.pem/server.key in cert_dir unless present.

    EC P-256 keys (fast to make). A lock file keeps concurrent servers sharing
    one cert_dir from racing; files are made in a temp dir and renamed into
    place, server.pem last, so its presence means the set is complete.
    """
    os.makedirs(cert_dir, exist_ok=True)
    final = {n: os.path.join(cert_dir, n) for n in ("ca.pem", "ca.key", "server.key", "server.pem")}
    with open(os.path.join(cert_dir, ".certs.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if all(os.path.exists(p) for p in final.values()):
            return final
        with tempfile.TemporaryDirectory(dir=cert_dir) as tmp:
            ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
            _openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem",
                     "-days", "3650", "-subj", "/CN=vigil test CA",
                     "-addext", "basicConstraints=critical,CA:TRUE",
                     "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=tmp)
            _openssl("req", *ec, "-keyout", "server.key", "-out", "server.csr",
                     "-subj", "/CN=localhost", cwd=tmp)
            with open(os.path.join(tmp, "server.ext"), "w") as f:
                f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                        "basicConstraints=critical,CA:FALSE\n"
                        "keyUsage=critical,digitalSignature\n"
                        "extendedKeyUsage=serverAuth\n"
                        "subjectKeyIdentifier=hash\n"
                        "authorityKeyIdentifier=keyid,issuer\n")
            _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                     "-CAcreateserial", "-days", "825", "-extfile", "server.ext",
                     "-out", "server.pem", cwd=tmp)
            for name in ("ca.pem", "ca.key", "server.key", "server.pem"):
                os.replace(os.path.join(tmp, name), final[name])
    return final


def server_ssl_context(paths):
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)  # verify_mode CERT_NONE: no client certs
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(paths["server.pem"], paths["server.key"])
    return ctx


# ------------------------------------------------------------------- SMTP logic

class MessageStore:
    """Appends one JSON line per message; the file is readable at once."""

    def __init__(self, path):
        self.path = path
        self.count = 0
        open(path, "a").close()  # exists (empty) from the start

    def append(self, record):
        line = json.dumps(record, ensure_ascii=True) + "\n"  # ASCII: surrogates become \udcXX
        with open(self.path, "a", encoding="ascii") as f:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
        self.count += 1


class Handler:
    """aiosmtpd handler hooks; all run on the controller's event loop thread."""

    def __init__(self, store, delay_rcpt, delay_data, fail_data):
        self.store = store
        self.delay_rcpt = delay_rcpt
        self.delay_data = delay_data
        self.fail_left = fail_data

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.delay_rcpt > 0:
            await asyncio.sleep(self.delay_rcpt)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay_data > 0:
            await asyncio.sleep(self.delay_data)  # cancelled if the client goes away
        if self.fail_left > 0:
            self.fail_left -= 1
            logging.info("answering 451 to message from %s", envelope.mail_from)
            return "451 4.3.0 try again later"
        # ssl_object is there for both STARTTLS and implicit TLS; aiosmtpd's own
        # session.ssl is only set after STARTTLS.
        tls = server.transport.get_extra_info("ssl_object") is not None
        raw = envelope.original_content or b""
        self.store.append({
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "data": raw.decode("utf-8", "surrogateescape"),
            "tls": tls,
            "auth_user": session.auth_data if session.authenticated else None,
            "received_at": time.time(),
        })
        logging.info("stored message %d from %s to %s", self.store.count,
                     envelope.mail_from, envelope.rcpt_tos)
        return f"250 2.0.0 OK: queued as {self.store.count}"


def make_authenticator(user, password):
    want_user, want_pass = user.encode(), password.encode()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (mechanism in ("PLAIN", "LOGIN") and isinstance(auth_data, LoginPassword)
              and hmac.compare_digest(auth_data.login, want_user)
              and hmac.compare_digest(auth_data.password, want_pass))
        if not ok:
            # handled=False makes aiosmtpd answer 535; AuthResult's default
            # handled=True means "I already replied" and the client would hang.
            return AuthResult(success=False, handled=False)
        return AuthResult(success=True, auth_data=user)  # becomes session.auth_data

    return authenticator


class LoopbackController(Controller):
    """Controller that supports port 0.

    aiosmtpd 1.4.3's start() probes the server by connecting to self.port, which
    fails for port 0; learn the bound port from the listening socket first.
    """

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


# ------------------------------------------------------------------------- main

def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--out", required=True, help="JSON-lines file of accepted messages")
    p.add_argument("--ready-file", required=True, help="gets the port once listening")
    p.add_argument("--tls", choices=("off", "starttls", "implicit"), default="off")
    p.add_argument("--cert-dir", help="where ca.pem/server.pem/server.key live (default: dir of --out)")
    p.add_argument("--auth", metavar="USER:PASSWORD")
    p.add_argument("--delay-rcpt", type=float, default=0.0, metavar="SECONDS")
    p.add_argument("--delay-data", type=float, default=0.0, metavar="SECONDS")
    p.add_argument("--fail-data", type=int, default=0, metavar="N")
    p.add_argument("-v", "--verbose", action="store_true", help="log each message on stderr")
    args = p.parse_args(argv)
    if args.auth is not None and ":" not in args.auth:
        p.error("--auth must be USER:PASSWORD")
    return args


def main(argv=None):
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="mail_server: %(message)s", stream=sys.stderr)
    # aiosmtpd logs a deprecation warning on every successful AUTH (it sets the
    # legacy session.login_data itself) and chats at INFO; keep errors only.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")

    smtp_kwargs = {"server_hostname": "localhost"}  # also avoids a getfqdn() per connection
    if args.tls != "off":
        cert_dir = args.cert_dir or os.path.dirname(os.path.abspath(args.out))
        ctx = server_ssl_context(ensure_certs(cert_dir))
        if args.tls == "starttls":
            smtp_kwargs.update(tls_context=ctx, require_starttls=True)
        else:
            # aiosmtpd cannot tell the listener is TLS: no tls_context (it would
            # offer STARTTLS again) and auth_require_tls=False (else AUTH is 538).
            smtp_kwargs.update(ssl_context=ctx, auth_require_tls=False)
    if args.auth is not None:
        user, password = args.auth.split(":", 1)
        smtp_kwargs.update(authenticator=make_authenticator(user, password), auth_required=True)
        if args.tls == "off":
            smtp_kwargs["auth_require_tls"] = False  # plain-text AUTH on loopback

    store = MessageStore(args.out)
    handler = Handler(store, args.delay_rcpt, args.delay_data, args.fail_data)
    controller = LoopbackController(handler, hostname=LISTEN_HOST, port=args.port, **smtp_kwargs)

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())

    controller.start()
    port = controller.port
    tmp_ready = f"{args.ready_file}.tmp{os.getpid()}"
    with open(tmp_ready, "w") as f:
        f.write(f"{port}\n")
    os.replace(tmp_ready, args.ready_file)
    print(port, flush=True)

    stop.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

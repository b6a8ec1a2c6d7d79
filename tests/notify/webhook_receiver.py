#!/usr/bin/env python3
"""Loopback HTTP receiver for vigil's webhook tests.

Usage:
  python3 tests/notify/webhook_receiver.py --port 0 --out REQUESTS.jsonl --ready-file PATH
      [--statuses 500,503,...] [--delay SECONDS] [--secret-file FILE] [-v]

ThreadingHTTPServer on 127.0.0.1 speaking HTTP/1.1 (keep-alive, Expect:
100-continue and chunked request bodies handled). Once listening it writes the
real port to --ready-file (write + rename) and prints it on stdout. Runs until
SIGTERM/SIGINT, then exits 0.

Every POST (any path) is appended to --out as one JSON line (flush + fsync) as
soon as its body has been read, i.e. before --delay, so a test can see that a
request arrived while its answer is still pending:
  {"path": str, "headers": {lowercased name: value}, "body": str,
   "received_at": unix float, "status": int (the status it is answered with),
   "signature_ok": bool|null, "delivery": str|null (X-Vigil-Delivery)}
"body" is the raw body decoded as UTF-8 with errors="surrogateescape" (recover
the bytes with .encode("utf-8", "surrogateescape")). Repeated headers are
joined with ", ".

--statuses A,B,...: the i-th request (counted across connections, in arrival
order) is answered with the i-th status, later ones with 200. 429 and 503 carry
"Retry-After: 1".
--delay S: sleep S seconds before answering (each request, in its own thread).
--secret-file FILE: check vigil's signature and record signature_ok (null when
no secret file is given). The secret is the file's bytes without trailing CR/LF,
re-read for every request (so a test may rotate it).

Signature scheme (reference verifier: verify_signature below):
  X-Vigil-Signature: t=<unix seconds>,v1=<hex>
  hex = lowercase hex of HMAC-SHA256(secret, "<t>" + "." + raw body bytes),
  where <t> is the header's digits exactly as sent. A header may carry several
  v1= entries (e.g. during secret rotation); one match is enough.
  X-Vigil-Delivery: a per-delivery idempotency key, identical across retries.
"""

import argparse
import hashlib
import hmac
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LISTEN_HOST = "127.0.0.1"
SIGNATURE_HEADER = "X-Vigil-Signature"
DELIVERY_HEADER = "X-Vigil-Delivery"


def sign(secret: bytes, body: bytes, t: int) -> str:
    """The X-Vigil-Signature value vigil sends for body at unix time t."""
    mac = hmac.new(secret, str(t).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def verify_signature(secret: bytes, header: str, body: bytes, now: float,
                     tolerance: float = 300) -> bool:
    """Reference verifier for X-Vigil-Signature.

    True iff header is "t=<digits>,v1=<hex>[,v1=<hex>...]" (unknown keys are
    ignored, for future schemes), |now - t| <= tolerance seconds, and some v1
    equals lowercase hex HMAC-SHA256(secret, "<t>." + body), compared in
    constant time.
    """
    if not header:
        return False
    timestamp, candidates = None, []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            return False
        if key == "t":
            if timestamp is not None:
                return False  # ambiguous
            timestamp = value
        elif key == "v1":
            candidates.append(value)
    if timestamp is None or not candidates:
        return False
    if not (timestamp.isascii() and timestamp.isdigit()):
        return False
    if abs(now - int(timestamp)) > tolerance:
        return False  # stale or from the future: replay protection
    expected = hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    ok = False
    for candidate in candidates:  # check them all: no early exit
        ok |= hmac.compare_digest(expected.encode(), candidate.encode("utf-8", "replace"))
    return ok


def read_secret(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read().rstrip(b"\r\n")


class Receiver(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, addr, out, statuses, delay, secret_file, verbose):
        super().__init__(addr, Handler)
        self.out, self.statuses, self.delay = out, list(statuses), delay
        self.secret_file, self.verbose = secret_file, verbose
        self.lock = threading.Lock()
        self.count = 0
        open(out, "a").close()  # exists (empty) from the start

    def next_status(self) -> int:
        with self.lock:
            i = self.count
            self.count += 1
        return self.statuses[i] if i < len(self.statuses) else 200

    def append(self, record):
        line = json.dumps(record, ensure_ascii=True) + "\n"
        with self.lock, open(self.out, "a", encoding="ascii") as f:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "vigil-test-webhook/1"

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()  # CRLF after the chunk
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_POST(self):
        body = self._read_body()
        srv: Receiver = self.server
        status = srv.next_status()
        headers = {}
        for name, value in self.headers.items():
            name = name.lower()
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        now = time.time()
        signature_ok = None
        if srv.secret_file:
            signature_ok = verify_signature(read_secret(srv.secret_file),
                                            headers.get(SIGNATURE_HEADER.lower(), ""), body, now)
        srv.append({
            "path": self.path,
            "headers": headers,
            "body": body.decode("utf-8", "surrogateescape"),
            "received_at": now,
            "status": status,
            "signature_ok": signature_ok,
            "delivery": headers.get(DELIVERY_HEADER.lower()),
        })
        if srv.delay > 0:
            time.sleep(srv.delay)
        reply = json.dumps({"status": status}).encode() + b"\n"
        try:
            self.send_response(status)
            if status in (429, 503):
                self.send_header("Retry-After", "1")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # client gave up during --delay

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("webhook_receiver: " + (fmt % args) + "\n")


def parse_statuses(text):
    try:
        statuses = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of statuses: {text!r}")
    if any(not 100 <= s <= 599 for s in statuses):
        raise argparse.ArgumentTypeError(f"status out of range in {text!r}")
    return statuses


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--out", required=True, help="JSON-lines file of received POSTs")
    p.add_argument("--ready-file", required=True, help="gets the port once listening")
    p.add_argument("--statuses", type=parse_statuses, default=[], metavar="A,B,...")
    p.add_argument("--delay", type=float, default=0.0, metavar="SECONDS")
    p.add_argument("--secret-file", metavar="FILE")
    p.add_argument("-v", "--verbose", action="store_true", help="log each request on stderr")
    args = p.parse_args(argv)
    if args.secret_file:
        read_secret(args.secret_file)  # fail now, not on the first request

    server = Receiver((LISTEN_HOST, args.port), args.out, args.statuses, args.delay,
                      args.secret_file, args.verbose)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()

    port = server.server_address[1]
    tmp_ready = f"{args.ready_file}.tmp{os.getpid()}"
    with open(tmp_ready, "w") as f:
        f.write(f"{port}\n")
    os.replace(tmp_ready, args.ready_file)
    print(port, flush=True)

    stop.wait()
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

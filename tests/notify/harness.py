"""Start the notification test receivers as subprocesses (for Python tests).

    import sys; sys.path.insert(0, "tests/notify")
    from harness import MailServer, WebhookReceiver, wait_for

    with MailServer(tmpdir, tls="starttls", auth="vigil:s3cret") as mail, \\
         WebhookReceiver(tmpdir, statuses=[500], secret="whsec") as hook:
        ... point vigil at 127.0.0.1:mail.port (CA bundle mail.ca_file)
        ... and at hook.url + "/hook"
        msgs = wait_for(lambda: mail.messages() or None, timeout=10)
        email = mail.emails()[0]          # email.message.EmailMessage
        reqs = hook.requests()            # == hook.messages()

Each instance uses its own files in tmpdir (mail-N.jsonl, webhook-N.jsonl,
their ready files and child stdout/stderr); TLS certificates go to
tmpdir/certs unless cert_dir is given, so servers in one tmpdir share one CA.
Startup waits up to 20 s for the ready file and raises RuntimeError with the
child's stderr if it does not appear. Exit sends SIGTERM, waits 5 s, then kills.
"""

import email
import email.policy
import itertools
import json
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
READY_TIMEOUT = 20.0
_serial = itertools.count(1)


def wait_for(predicate, timeout=10.0, interval=0.05, what=None):
    """Poll predicate() until it returns something truthy; return that value.

    Raises TimeoutError (mentioning `what` or the predicate) after timeout seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what or predicate}")
        time.sleep(interval)


def read_jsonl(path):
    """Parsed JSON lines of path; a last line still being written is skipped."""
    try:
        with open(path, encoding="ascii") as f:
            text = f.read()
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in text.split("\n")[:-1] if line.strip()]


def parse_email(record):
    """EmailMessage (policy=email.policy.default) from a mail record's "data"."""
    raw = record["data"].encode("utf-8", "surrogateescape")
    return email.message_from_bytes(raw, policy=email.policy.default)


class _Child:
    """A receiver script run as a subprocess; use as a context manager."""

    script = None   # file name in this directory
    kind = None     # file name prefix

    def __init__(self, tmpdir, extra_args):
        self.tmpdir = os.fspath(tmpdir)
        os.makedirs(self.tmpdir, exist_ok=True)
        base = os.path.join(self.tmpdir, f"{self.kind}-{os.getpid()}-{next(_serial)}")
        self.out = base + ".jsonl"
        self.ready_file = base + ".ready"
        self.stdout_path, self.stderr_path = base + ".stdout", base + ".stderr"
        self.args = [sys.executable, os.path.join(HERE, self.script), "--port", "0",
                     "--out", self.out, "--ready-file", self.ready_file, *extra_args]
        self.proc = None
        self.port = None

    def start(self):
        with open(self.stdout_path, "wb") as so, open(self.stderr_path, "wb") as se:
            self.proc = subprocess.Popen(self.args, stdin=subprocess.DEVNULL, stdout=so, stderr=se)
        deadline = time.monotonic() + READY_TIMEOUT
        while not os.path.exists(self.ready_file):
            if self.proc.poll() is not None:
                self._fail(f"exited with status {self.proc.returncode} before it was ready")
            if time.monotonic() >= deadline:
                self.stop()
                self._fail(f"not ready after {READY_TIMEOUT:.0f}s")
            time.sleep(0.02)
        with open(self.ready_file) as f:
            self.port = int(f.read().strip())
        return self

    def _fail(self, why):
        raise RuntimeError(f"{self.script} {why}\ncommand: {' '.join(self.args)}\n"
                           f"stderr:\n{self.stderr()}")

    def stderr(self):
        try:
            with open(self.stderr_path, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def stop(self):
        """SIGTERM, wait up to 5 s, then SIGKILL. Returns the exit status."""
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()

    def messages(self):
        """Records written so far, parsed from the JSON-lines file."""
        return read_jsonl(self.out)

    def wait_for_count(self, n, timeout=10.0):
        """Wait until at least n records exist; return all records."""
        return wait_for(lambda: (lambda m: m if len(m) >= n else None)(self.messages()),
                        timeout, what=f"{n} record(s) in {self.out}")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False


class MailServer(_Child):
    """mail_server.py on 127.0.0.1.

    tls: "off" | "starttls" | "implicit"; auth: "USER:PASSWORD" or None;
    delay_rcpt / delay_data: seconds; fail_data: count of 451 answers.
    Attributes: port, host ("127.0.0.1"), ca_file (None when tls="off"),
    cert_dir, user, password, out.
    """

    script, kind = "mail_server.py", "mail"

    def __init__(self, tmpdir, tls="off", auth=None, delay_rcpt=None, delay_data=None,
                 fail_data=None, cert_dir=None, verbose=False):
        args = ["--tls", tls]
        self.tls = tls
        self.cert_dir = os.fspath(cert_dir) if cert_dir else os.path.join(os.fspath(tmpdir), "certs")
        self.ca_file = os.path.join(self.cert_dir, "ca.pem") if tls != "off" else None
        if tls != "off":
            args += ["--cert-dir", self.cert_dir]
        self.user, _, self.password = auth.partition(":") if auth else (None, None, None)
        if auth:
            args += ["--auth", auth]
        if delay_rcpt:
            args += ["--delay-rcpt", str(delay_rcpt)]
        if delay_data:
            args += ["--delay-data", str(delay_data)]
        if fail_data:
            args += ["--fail-data", str(fail_data)]
        if verbose:
            args.append("-v")
        super().__init__(tmpdir, args)
        self.host = "127.0.0.1"

    def emails(self):
        """messages() parsed into email.message.EmailMessage objects."""
        return [parse_email(m) for m in self.messages()]


class WebhookReceiver(_Child):
    """webhook_receiver.py on 127.0.0.1.

    statuses: list of ints for the first requests; delay: seconds;
    secret: str/bytes written to a secret file (or secret_file: an existing path).
    Attributes: port, url ("http://127.0.0.1:PORT"), secret_file, out.
    requests() is an alias of messages().
    """

    script, kind = "webhook_receiver.py", "webhook"

    def __init__(self, tmpdir, statuses=None, delay=None, secret=None, secret_file=None,
                 verbose=False):
        super().__init__(tmpdir, [])
        if secret is not None:
            secret_file = self.out[:-len(".jsonl")] + ".secret"
            with open(secret_file, "wb") as f:
                f.write(secret.encode() if isinstance(secret, str) else secret)
        self.secret_file = os.fspath(secret_file) if secret_file else None
        if statuses:
            self.args += ["--statuses", ",".join(str(s) for s in statuses)]
        if delay:
            self.args += ["--delay", str(delay)]
        if self.secret_file:
            self.args += ["--secret-file", self.secret_file]
        if verbose:
            self.args.append("-v")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def requests(self):
        return self.messages()

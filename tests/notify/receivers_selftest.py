#!/usr/bin/env python3
"""Self-test of mail_server.py, webhook_receiver.py and harness.py.

Drives the receivers with Python's own smtplib/urllib/http.client and prints
one "ok NAME" or "FAIL NAME" line per check; exits 1 if any failed.
Usage: python3 tests/notify/receivers_selftest.py [NAME_SUBSTRING ...]
"""

import http.client
import json
import os
import smtplib
import ssl
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request
from email.message import EmailMessage

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import MailServer, WebhookReceiver, parse_email, wait_for  # noqa: E402
from webhook_receiver import sign, verify_signature  # noqa: E402

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def expect_raises(exc_type, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except exc_type as e:
        return e
    raise AssertionError(f"{getattr(fn, '__name__', fn)} did not raise {exc_type.__name__}")


def trusting(ca_file):
    """Client context that trusts only the test CA (hostname checked)."""
    return ssl.create_default_context(cafile=ca_file)


def sample_email(subject="Vigil: CVE-2024-0001 — critical ✓"):
    msg = EmailMessage()
    msg["From"] = "vigil@example.test"
    msg["To"] = "ops@example.test"
    msg["Subject"] = subject
    msg.set_content("Findings: 3 new\nPaquet affecté: libfoo\n")
    return msg


# --------------------------------------------------------------------- mail

@test
def mail_plain(tmp):
    with MailServer(tmp) as m:
        with smtplib.SMTP(m.host, m.port, timeout=5) as s:
            s.ehlo()
            check(not s.has_extn("starttls") and not s.has_extn("auth"), f"plain EHLO: {s.esmtp_features}")
            s.send_message(sample_email())
            raw = b"Subject: raw\r\n\r\n.leading dot\r\nbad byte \xff\r\n"
            s.sendmail("a@example.test", ["b@example.test", "c@example.test"], raw)
        recs = m.wait_for_count(2)
        r0, r1 = recs
        check(set(r0) == {"mail_from", "rcpt_tos", "data", "tls", "auth_user", "received_at"},
              f"keys {sorted(r0)}")
        check(r0["mail_from"] == "vigil@example.test" and r0["rcpt_tos"] == ["ops@example.test"], r0)
        check(r0["tls"] is False and r0["auth_user"] is None, r0)
        check(abs(r0["received_at"] - time.time()) < 30, "received_at")
        em = m.emails()[0]
        check(em["subject"] == "Vigil: CVE-2024-0001 — critical ✓", em["subject"])
        check("affecté" in em.get_content(), em.get_content())
        check(r1["rcpt_tos"] == ["b@example.test", "c@example.test"], r1)
        # dot-unstuffed, CRLF kept, non-UTF-8 byte round-trips via surrogateescape
        check(r1["data"].encode("utf-8", "surrogateescape") == raw, repr(r1["data"]))
        check(parse_email(r1)["subject"] == "raw", "parse_email")
        with open(m.out, "rb") as f:
            f.read().decode("ascii")  # the JSONL file is pure ASCII


@test
def mail_starttls_auth(tmp):
    with MailServer(tmp, tls="starttls", auth="vigil:s3cret") as m:
        check(os.path.exists(m.ca_file), "ca.pem made")
        with smtplib.SMTP(m.host, m.port, timeout=5) as s:
            s.ehlo()
            check(s.has_extn("starttls") and not s.has_extn("auth"), f"pre-TLS EHLO: {s.esmtp_features}")
            code, text = s.mail("a@example.test")
            check(code == 530, f"MAIL before STARTTLS: {code} {text}")
            s.starttls(context=trusting(m.ca_file))  # verifies IP SAN 127.0.0.1
            s.ehlo()
            check(not s.has_extn("starttls"), "STARTTLS not offered twice")
            check(set(s.esmtp_features["auth"].split()) == {"LOGIN", "PLAIN"}, s.esmtp_features)
            code, text = s.mail("a@example.test")
            check(code == 530 and b"Authentication required" in text, f"MAIL before AUTH: {code} {text}")
            s.login("vigil", "s3cret")
            s.send_message(sample_email())
        rec = m.wait_for_count(1)[0]
        check(rec["tls"] is True and rec["auth_user"] == "vigil", rec)
        # hostname "localhost" (DNS SAN) verifies too
        with smtplib.SMTP("localhost", m.port, timeout=5) as s:
            s.starttls(context=trusting(m.ca_file))
        # a client that does not trust the test CA refuses the certificate
        with smtplib.SMTP(m.host, m.port, timeout=5) as s:
            expect_raises(ssl.SSLCertVerificationError, s.starttls, context=ssl.create_default_context())


@test
def mail_implicit_tls(tmp):
    with MailServer(tmp, tls="implicit", auth="u:p") as m:
        with smtplib.SMTP_SSL(m.host, m.port, timeout=5, context=trusting(m.ca_file)) as s:
            s.ehlo()
            check(not s.has_extn("starttls") and s.has_extn("auth"), f"SMTPS EHLO: {s.esmtp_features}")
            check(s.mail("a@example.test")[0] == 530, "MAIL before AUTH")
            s.login("u", "p")
            s.send_message(sample_email())
        rec = m.wait_for_count(1)[0]
        check(rec["tls"] is True and rec["auth_user"] == "u", rec)


@test
def mail_implicit_tls_no_auth(tmp):
    with MailServer(tmp, tls="implicit") as m:
        with smtplib.SMTP_SSL("localhost", m.port, timeout=5, context=trusting(m.ca_file)) as s:
            s.send_message(sample_email())
        rec = m.wait_for_count(1)[0]
        check(rec["tls"] is True and rec["auth_user"] is None, rec)


@test
def mail_auth_plain_login(tmp):
    with MailServer(tmp, auth="vigil:right:pw") as m:  # password may contain ':'
        with smtplib.SMTP(m.host, m.port, timeout=5) as s:
            s.ehlo()
            check(s.has_extn("auth"), "AUTH offered without TLS when --tls off")
            check(s.mail("a@example.test")[0] == 530, "MAIL before AUTH")
            s.rset()
            for user, pw in (("vigil", "wrong"), ("nobody", "right:pw")):
                e = expect_raises(smtplib.SMTPAuthenticationError, s.login, user, pw)
                check(e.smtp_code == 535, f"bad credentials: {e}")
        # each mechanism, with and without an initial response
        for mech, initial in (("PLAIN", True), ("PLAIN", False), ("LOGIN", True), ("LOGIN", False)):
            with smtplib.SMTP(m.host, m.port, timeout=5) as s:
                s.ehlo()
                s.user, s.password = "vigil", "right:pw"
                auth = s.auth_plain if mech == "PLAIN" else s.auth_login
                code, _ = s.auth(mech, auth, initial_response_ok=initial)
                check(code == 235, f"{mech} initial={initial}: {code}")
                s.sendmail("a@example.test", ["b@example.test"], f"Subject: {mech}\r\n\r\nx\r\n")
        recs = m.wait_for_count(4)
        check(all(r["auth_user"] == "vigil" and r["tls"] is False for r in recs), recs)


@test
def mail_fail_data(tmp):
    with MailServer(tmp, fail_data=2) as m:
        codes = []
        with smtplib.SMTP(m.host, m.port, timeout=5) as s:  # retries on the same connection
            for i in range(3):
                try:
                    s.sendmail("a@example.test", ["b@example.test"], f"Subject: try {i}\r\n\r\nx\r\n")
                    codes.append(250)
                except smtplib.SMTPDataError as e:
                    check(e.smtp_error == b"4.3.0 try again later", e.smtp_error)
                    codes.append(e.smtp_code)
        check(codes == [451, 451, 250], codes)
        # a new connection is not failed again: the count is global
        with smtplib.SMTP(m.host, m.port, timeout=5) as s:
            s.sendmail("a@example.test", ["b@example.test"], "Subject: try 3\r\n\r\nx\r\n")
        recs = m.wait_for_count(2)
        check([parse_email(r)["subject"] for r in recs] == ["try 2", "try 3"], recs)


@test
def mail_delay_rcpt(tmp):
    with MailServer(tmp, delay_rcpt=1.0) as m:
        # client 1 gives up while RCPT is pending: no message may appear
        s1 = smtplib.SMTP(m.host, m.port, timeout=5)
        s1.ehlo()
        s1.mail("gone@example.test")
        s1.sock.settimeout(0.3)
        # smtplib turns the read timeout into SMTPServerDisconnected and closes
        expect_raises(smtplib.SMTPServerDisconnected, s1.rcpt, "b@example.test")
        # the server still serves others while a RCPT sleeps
        t0 = time.monotonic()
        with smtplib.SMTP(m.host, m.port, timeout=5) as s2:
            s2.ehlo()
            check(s2.noop()[0] == 250, "NOOP")
            check(time.monotonic() - t0 < 0.5, "second connection served promptly")
            t0 = time.monotonic()
            s2.sendmail("kept@example.test", ["b@example.test"], "Subject: kept\r\n\r\nx\r\n")
            check(time.monotonic() - t0 >= 0.95, "RCPT was delayed")
        time.sleep(0.3)
        recs = m.messages()
        check([r["mail_from"] for r in recs] == ["kept@example.test"], recs)


@test
def mail_delay_data(tmp):
    with MailServer(tmp, delay_data=0.5) as m:
        with smtplib.SMTP(m.host, m.port, timeout=5) as s:
            t0 = time.monotonic()
            s.sendmail("a@example.test", ["b@example.test"], "Subject: slow\r\n\r\nx\r\n")
            check(time.monotonic() - t0 >= 0.45, "DATA answer delayed")
        check(len(m.messages()) == 1, "stored before 250")
        # the client leaves during the delay: aiosmtpd cancels the handler, nothing stored
        s = smtplib.SMTP(m.host, m.port, timeout=5)
        s.ehlo()
        s.mail("lost@example.test")
        s.rcpt("b@example.test")
        check(s.docmd("DATA")[0] == 354, "354")
        s.send(b"Subject: lost\r\n\r\nx\r\n.\r\n")
        time.sleep(0.1)
        s.close()  # closes the socket and smtplib's makefile() (sock.close() alone would not)
        time.sleep(0.7)
        check([r["mail_from"] for r in m.messages()] == ["a@example.test"], m.messages())


@test
def mail_shared_cert_dir(tmp):
    servers = [MailServer(tmp, tls="starttls") for _ in range(3)]
    threads = [threading.Thread(target=srv.start) for srv in servers]  # race on certs/
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        for srv in servers:
            check(srv.port, f"started: {srv.stderr()}")
            with smtplib.SMTP(srv.host, srv.port, timeout=5) as s:
                s.starttls(context=trusting(srv.ca_file))
    finally:
        for srv in servers:
            srv.stop()
    check(sorted(os.listdir(os.path.join(tmp, "certs"))) ==
          [".certs.lock", "ca.key", "ca.pem", "server.key", "server.pem"],
          os.listdir(os.path.join(tmp, "certs")))


@test
def mail_clean_stop_and_errors(tmp):
    m = MailServer(tmp).start()
    check(m.stop() == 0, "exit 0 on SIGTERM")
    e = expect_raises(RuntimeError, MailServer(tmp, auth="nocolon").start)
    check("USER:PASSWORD" in str(e) and "exited with status 2" in str(e), str(e))


# ------------------------------------------------------------------ webhook

def post(url, body, headers=None, timeout=5):
    """(status, headers, body) of a POST; HTTP errors are returned, not raised."""
    req = urllib.request.Request(url, data=body, method="POST",
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


@test
def webhook_statuses(tmp):
    with WebhookReceiver(tmp, statuses=[500, 503, 429]) as w:
        got = []
        for i in range(4):
            status, headers, body = post(f"{w.url}/hooks/vigil", json.dumps({"n": i}).encode(),
                                         {"X-Vigil-Delivery": "dlv-1"})
            got.append((status, headers.get("Retry-After")))
            check(json.loads(body) == {"status": status}, body)
        check(got == [(500, None), (503, "1"), (429, "1"), (200, None)], got)
        recs = w.wait_for_count(4)
        check([r["status"] for r in recs] == [500, 503, 429, 200], recs)
        r = recs[0]
        check(set(r) == {"path", "headers", "body", "received_at", "status", "signature_ok", "delivery"},
              sorted(r))
        check(r["path"] == "/hooks/vigil" and json.loads(r["body"]) == {"n": 0}, r)
        check(r["headers"]["content-type"] == "application/json", r["headers"])
        check(r["delivery"] == "dlv-1" and r["signature_ok"] is None, r)
        # keep-alive and a chunked body on one connection
        c = http.client.HTTPConnection("127.0.0.1", w.port, timeout=5)
        c.request("POST", "/a", body=b'{"k":1}', headers={"Content-Type": "application/json"})
        check(c.getresponse().read() == b'{"status": 200}\n', "keep-alive 1")
        c.request("POST", "/b", body=iter([b'{"chunked":', b' true}']), encode_chunked=True)
        check(c.getresponse().status == 200, "chunked")
        c.close()
        recs = w.wait_for_count(6)
        check(json.loads(recs[5]["body"]) == {"chunked": True}, recs[5])
        check(recs[5]["headers"].get("transfer-encoding") == "chunked", recs[5]["headers"])


@test
def webhook_signature(tmp):
    secret = b"whsec_test"
    with WebhookReceiver(tmp, secret="whsec_test\n") as w:  # trailing newline is not part of it
        body = json.dumps({"event": "finding.created", "cve": "CVE-2024-0001"}).encode()
        now = int(time.time())
        cases = [
            ("good", sign(secret, body, now), body, True),
            ("wrong secret", sign(b"other", body, now), body, False),
            ("stale", sign(secret, body, now - 1000), body, False),
            ("future", sign(secret, body, now + 1000), body, False),
            ("tampered body", sign(secret, body, now), body + b" ", False),
            ("missing header", None, body, False),
        ]
        for name, header, payload, _ in cases:
            headers = {"X-Vigil-Delivery": f"dlv-{name}"}
            if header:
                headers["X-Vigil-Signature"] = header
            check(post(w.url + "/hook", payload, headers)[0] == 200, name)
        recs = w.wait_for_count(len(cases))
        for (name, _, _, want), rec in zip(cases, recs):
            check(rec["signature_ok"] is want, f"{name}: signature_ok={rec['signature_ok']}")
            check(rec["delivery"] == f"dlv-{name}", rec["delivery"])


@test
def webhook_verify_signature_unit(tmp):
    s, body, t = b"k", b'{"a":1}', 1_700_000_000
    good = sign(s, body, t)
    mac = good.split("v1=")[1]
    check(mac == mac.lower() and len(mac) == 64, good)
    cases = [
        (good, t, True),
        (good, t + 300, True),                       # at the tolerance edge
        (good, t - 300, True),
        (good, t + 301, False),                      # stale
        (good, t - 301, False),                      # from the future
        (f"t={t},v1={'0' * 64},v1={mac}", t, True),  # rotation: any v1 may match
        (f"v1={mac},t={t}", t, True),                # order does not matter
        (f"t={t}, v1={mac}", t, True),               # blanks around parts
        (f"t={t},v1={mac.upper()}", t, False),       # lowercase hex only
        (f"t={t},v0=abc,v1={mac}", t, True),         # unknown keys ignored
        (f"t={t},t={t},v1={mac}", t, False),         # ambiguous timestamp
        (f"t={t}", t, False),
        (f"v1={mac}", t, False),
        (f"t=abc,v1={mac}", t, False),
        (f"t=-{t},v1={mac}", t, False),
        ("garbage", t, False),
        ("", t, False),
        (f"t={t},v1=é", t, False),
    ]
    for header, now, want in cases:
        check(verify_signature(s, header, body, now) is want, f"{header!r} at {now}: want {want}")
    check(not verify_signature(s, good, body + b"x", t), "body bound")
    check(verify_signature(s, good, body, t + 1000, tolerance=1000), "tolerance parameter")


@test
def webhook_delay_records_first(tmp):
    with WebhookReceiver(tmp, delay=1.0) as w:
        result = {}
        t0 = time.monotonic()
        th = threading.Thread(target=lambda: result.update(r=post(w.url, b"{}")))
        th.start()
        # recorded when read, before the delayed answer
        wait_for(lambda: w.requests(), timeout=0.9, what="record before the answer")
        check("r" not in result, "answered too early")
        th.join()
        check(result["r"][0] == 200 and time.monotonic() - t0 >= 0.95, "delayed 200")
        check(w.stop() == 0, "exit 0 on SIGTERM")


@test
def harness_wait_for(tmp):
    check(wait_for(lambda: 42, timeout=0.1) == 42, "value returned")
    e = expect_raises(TimeoutError, wait_for, lambda: None, timeout=0.1, what="nothing")
    check("nothing" in str(e), str(e))


def main(argv):
    selected = [t for t in TESTS if not argv or any(a in t.__name__ for a in argv)]
    failed = 0
    start = time.monotonic()
    for fn in selected:
        t0 = time.monotonic()
        with tempfile.TemporaryDirectory(prefix=f"notify-{fn.__name__}-") as tmp:
            try:
                fn(tmp)
                print(f"ok {fn.__name__} ({time.monotonic() - t0:.2f}s)", flush=True)
            except Exception:
                failed += 1
                print(f"FAIL {fn.__name__}\n{traceback.format_exc()}", flush=True)
    print(f"{len(selected) - failed}/{len(selected)} passed in {time.monotonic() - start:.1f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

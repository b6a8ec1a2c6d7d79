#!/usr/bin/env python3
"""Notifications end to end (docs/notifications.md): `vigil notify run` against a real SMTP
server on the loopback (Debian's aiosmtpd: plain, STARTTLS with a test CA, implicit TLS, AUTH),
a local webhook receiver and a fake Jira that validates every request. The daily digest at its
local time across a daylight-saving change, once per day; alerts once per condition; the two
incident replays; retries; a dispatcher killed in the middle of sending. Usage:
notify_test.py VIGIL [--sanitized]
"""
import email
import email.policy
import hashlib
import html
import hmac
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cli"))
sys.path.insert(0, HERE)
from cli_test import RESULTS, VIGIL, check, run, write  # noqa: E402
from harness import MailServer, WebhookReceiver, wait_for  # noqa: E402

SANITIZED = "--sanitized" in sys.argv[2:]


def nessus(hosts, scanner_time):
    """hosts: [(name, ip, agent_id or None, [(plugin, score or None, title)])]"""
    x = ['<?xml version="1.0" ?>', "<NessusClientData_v2><Report name=\"r\">"]
    stamp = time.strftime("%a %b %d %H:%M:%S %Y", time.gmtime(scanner_time))
    for name, ip, agent, items in hosts:
        x.append(f'<ReportHost name="{name}"><HostProperties>')
        x.append(f'<tag name="HOST_START">{stamp}</tag><tag name="HOST_END">{stamp}</tag>')
        x.append(f'<tag name="host-ip">{ip}</tag>')
        if agent:
            x.append(f'<tag name="agent-id">{agent}</tag>')
        x.append("</HostProperties>")
        for plugin, score, title in items:
            title = html.escape(title, quote=True).replace("\r", "&#13;").replace("\n", "&#10;")
            score_tag = f"<cvss3_base_score>{score}</cvss3_base_score>" if score else ""
            x.append(f'<ReportItem port="443" svc_name="www" protocol="tcp" severity="3" '
                     f'pluginID="{plugin}" pluginName="{title}" pluginFamily="Web">'
                     f"{score_tag}<cve>CVE-2026-{plugin:04d}</cve>"
                     f"<plugin_output>banner</plugin_output></ReportItem>")
        x.append("</ReportHost>")
    x.append("</Report></NessusClientData_v2>")
    return "\n".join(x) + "\n"


def trivy_unrated(artifact, cve, title):
    """A Trivy report with one vulnerability Trivy could not rate (Severity UNKNOWN, no CVSS)."""
    return json.dumps({
        "SchemaVersion": 2, "ArtifactName": artifact, "ArtifactType": "container_image",
        "Results": [{"Target": artifact + " (alpine 3.19)", "Class": "os-pkgs", "Type": "alpine",
                     "Vulnerabilities": [{"VulnerabilityID": cve, "PkgName": "libfoo",
                                          "InstalledVersion": "1.0", "Severity": "UNKNOWN",
                                          "Title": title}]}]})


def valid_signature(secret, header, body):
    """X-Vigil-Signature: t=T,v1=HEX, HMAC-SHA256 over "T." + body (time not checked)."""
    m = re.fullmatch(r"t=(\d+),v1=([0-9a-f]{64})", header)
    return bool(m) and hmac.compare_digest(
        hmac.new(secret, (m.group(1) + "." + body).encode(), hashlib.sha256).hexdigest(),
        m.group(2))


def epoch(iso):
    return int(time.mktime(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")) - time.timezone)


def smtp_config(mail, extra=""):
    tls = {"off": ("smtp", "off"), "starttls": ("smtp", "required"),
           "implicit": ("smtps", "off")}[mail.tls]
    lines = [f'[notify.smtp]\nurl = "{tls[0]}://127.0.0.1:{mail.port}"',
             'from = "vigil@example-ca.net"', f'starttls = "{tls[1]}"']
    if mail.ca_file:
        lines.append(f'ca_file = "{mail.ca_file}"')
    return "\n".join(lines) + "\n" + extra


class Install:
    """A test-clock database with users: alice (admin), bob (analyst), carol (approver)."""

    def __init__(self, d, name, config_text, now):
        self.d = d
        self.db = os.path.join(d, name + ".db")
        self.cfg = write(d, name + ".toml", config_text)
        self.tokens = {}
        p = run("init", db=self.db, config=self.cfg, now=now)
        check(f"{name}: init with the notification rules", p.returncode == 0, p.stderr)
        for user, role in [("alice", "admin"), ("bob", "analyst"), ("carol", "approver")]:
            p = run("user", "add", user, "--role", role, db=self.db, now=now, as_user="alice",
                    token=self.tokens.get("alice"))
            m = re.search(r"^token: (vgt_\S+)$", p.stdout, re.M)
            self.tokens[user] = m.group(1) if m else ""
        p = run("user", "token", "carol", db=self.db, now=now, as_user="carol",
                token=self.tokens["carol"])
        m = re.search(r"^token: (vgt_\S+)$", p.stdout, re.M)
        self.tokens["carol"] = m.group(1) if m else ""

    def v(self, *args, now, user="bob"):
        return run(*args, db=self.db, now=now, as_user=user, token=self.tokens.get(user))

    def notify(self, now):
        return self.v("notify", "run", now=now)

    def log(self, now, *args):
        p = self.v("notify", "log", "--format", "json", *args, now=now)
        return json.loads(p.stdout) if p.returncode == 0 else []

    def importing(self, name, text, now, scanner=None):
        path = write(self.d, name, text)
        p = self.v("import", *(["--scanner", scanner] if scanner else []), path, now=now)
        check(f"import {name}", p.returncode == 0, p.stderr)


def test_config_errors(d):
    bad = [
        ('[[notify.digest]]\nname = "so"\nat = "7am"\nto = ["a@b.c"]\n', "HH:MM"),
        ('[[notify.digest]]\nname = "so"\nat = "07:00"\ntime_zone = "Mars/Olympus"\n'
         'to = ["a@b.c"]\n', "unknown time zone"),
        ('[notify.smtp]\nurl = "smtp://x"\nfrom = "v@x.y"\n[[notify.digest]]\nname = "so"\n'
         'at = "07:00"\nto = ["a@b.c\\r\\nBcc: evil@x.y"]\n', "not a mail address"),
        ('[[notify.digest]]\nname = "so"\nat = "07:00"\nto = ["a@b.c"]\n', "[notify.smtp]"),
        ('[[notify.alert]]\nname = "a"\non = ["scanner-dead"]\nwebhook = "https://h/x"\n',
         "unknown condition 'scanner-dead'"),
        ('[[notify.alert]]\nname = "a"\non = ["scanner-stale"]\nwebhook = "ftp://h/x"\n',
         "http:// or https://"),
        ('[[notify.alert]]\nname = "a"\non = ["new-vulnerability"]\nmin_class = "severe"\n'
         'webhook = "https://h/x"\n', "not a class"),
        ('[notify.smtp]\nurl = "smtp://x/path"\nfrom = "v@x.y"\n', "smtp://HOST"),
        ('[notify.jira]\nurl = "https://jira.example"\nuser = "u@x.y"\ntoken_file = "t"\nproject = "V"\n'
         'api_version = 4\n', "2 or 3"),
        ('[notify]\ncolour = "red"\n', "unknown key 'colour'"),
    ]
    db = os.path.join(d, "config.db")
    run("init", db=db, now="2026-12-01T10:00:00Z")
    for i, (text, needle) in enumerate(bad):
        path = write(d, f"bad{i}.toml", text)
        p = run("config", "apply", path, db=db, now="2026-12-01T10:00:00Z")
        check(f"config refuses: {needle}", p.returncode == 2 and needle in p.stderr and
              re.search(r"bad\d+\.toml:\d+", p.stderr), p.stderr)


def test_mail_starttls_auth(d):
    with MailServer(d, tls="starttls", auth="vigil:s3cret pass") as mail:
        write(d, "smtp-password", "s3cret pass\n")
        cfg = smtp_config(mail, extra='username = "vigil"\npassword_file = "%s"\n' %
                          os.path.join(d, "smtp-password"))
        cfg += ('[notify]\nlink_base = "https://vigil.example-ca.net"\n'
                '[[notify.alert]]\nname = "new-high"\non = ["new-vulnerability"]\n'
                'min_class = "HIGH"\nto = ["secops@example-ca.net", "mso@example-ca.net"]\n')
        inst = Install(d, "mail", cfg, "2026-12-01T10:00:00Z")
        title = "Ünïcode title <script>alert(1)</script>\r\nBcc: evil@example.com " + "x" * 80
        inst.importing("high.nessus", nessus([("web1", "10.0.0.1", None, [
            (1001, 8.1, title)])], epoch("2026-12-01T09:00:00Z")),
            "2026-12-01T11:00:00Z")
        p = inst.notify("2026-12-01T11:01:00Z")
        check("notify run sends the alert over STARTTLS with AUTH", p.returncode == 0 and
              "sent alert email" in p.stdout, p.stdout + p.stderr)
        msgs = mail.messages()
        check("one message, to both recipients, over TLS, authenticated",
              len(msgs) == 1 and sorted(msgs[0]["rcpt_tos"]) ==
              ["mso@example-ca.net", "secops@example-ca.net"] and msgs[0]["tls"] and
              msgs[0]["auth_user"] == "vigil", msgs)
        if not msgs:
            return
        raw = msgs[0]["data"]
        m = email.message_from_string(raw, policy=email.policy.default)
        check("the subject is RFC 2047 encoded and reads back whole",
              "=?UTF-8?B?" in raw and "Ünïcode title <script>" in str(m["Subject"]) and
              "\n" not in str(m["Subject"]), m["Subject"])
        check("no header was injected", m["Bcc"] is None and
              not re.search(r"^Bcc:", raw, re.M), raw[:800])
        check("Date is RFC 5322 in UTC at the send time",
              m["Date"] == "Tue, 01 Dec 2026 11:01:00 +0000", m["Date"])
        check("Message-ID is vigil's, derived from the idempotency key",
              re.fullmatch(r"<vigil\.[0-9a-f]{32}@example-ca\.net>", str(m["Message-ID"])),
              m["Message-ID"])
        check("From names vigil; Auto-Submitted marks it automatic",
              str(m["From"]) == "vigil <vigil@example-ca.net>" and
              m["Auto-Submitted"] == "auto-generated", (m["From"], m["Auto-Submitted"]))
        text = m.get_body(("plain",))
        html = m.get_body(("html",))
        check("multipart/alternative with a text and an HTML part",
              m.get_content_type() == "multipart/alternative" and text and html)
        if text and html:
            t, h = text.get_content(), html.get_content()
            check("the text names the vulnerability and links back to vigil",
                  "tenable:1001" in t and
                  "https://vigil.example-ca.net/vulnerabilities/tenable%3A1001" in t, t)
            check("scan text is escaped in the HTML", "<script>" not in h and
                  "&lt;script&gt;" in h, h[:1000])


def test_mail_implicit_tls_and_refusals(d):
    with MailServer(d, tls="implicit") as mail:
        cfg = smtp_config(mail) + ('[[notify.alert]]\nname = "new"\non = ["new-vulnerability"]\n'
                                   'to = ["secops@example-ca.net"]\n')
        inst = Install(d, "smtps", cfg, "2026-12-01T10:00:00Z")
        inst.importing("a.nessus", nessus([("h1", "10.0.0.2", None, [(2001, 5.0, "A")])],
                                          epoch("2026-12-01T09:00:00Z")), "2026-12-01T11:00:00Z")
        p = inst.notify("2026-12-01T11:01:00Z")
        msgs = mail.messages()
        check("smtps:// sends over TLS from the first byte", p.returncode == 0 and
              len(msgs) == 1 and msgs[0]["tls"], p.stdout + p.stderr)
    with MailServer(d, tls="off") as mail:
        cfg = (f'[notify.smtp]\nurl = "smtp://127.0.0.1:{mail.port}"\n'
               'from = "vigil@example-ca.net"\nstarttls = "required"\n'
               '[[notify.alert]]\nname = "new"\non = ["new-vulnerability"]\n'
               'to = ["secops@example-ca.net"]\n')
        inst = Install(d, "plain", cfg, "2026-12-01T10:00:00Z")
        inst.importing("b.nessus", nessus([("h1", "10.0.0.2", None, [(2002, 5.0, "B")])],
                                          epoch("2026-12-01T09:00:00Z")), "2026-12-01T11:00:00Z")
        p = inst.notify("2026-12-01T11:01:00Z")
        log = inst.log("2026-12-01T11:02:00Z")
        check("starttls = required refuses a server without STARTTLS: nothing sent, exit 1, "
              "retried later", p.returncode == 1 and mail.messages() == [] and
              log and log[0]["state"] == "pending" and log[0]["last_error"],
              (p.stdout, log))
        p = inst.notify("2026-12-01T11:01:30Z")
        check("not retried before its backoff", "will retry" not in p.stdout, p.stdout)


def test_digest_schedule(d):
    """07:00 in Budapest: 06:00Z in winter, 05:00Z after the change to summer time on
    2027-03-28; once per day however often notify run is called."""
    with MailServer(d) as mail:
        cfg = smtp_config(mail) + ('[[notify.digest]]\nname = "security-officer"\nat = "07:00"\n'
                                   'time_zone = "Europe/Budapest"\nto = ["mso@example-ca.net"]\n')
        inst = Install(d, "dst", cfg, "2027-03-26T12:00:00Z")
        sent = []
        for now in ["2027-03-26T12:01:00Z", "2027-03-27T05:59:00Z", "2027-03-27T06:00:00Z",
                    "2027-03-27T06:01:00Z", "2027-03-27T23:00:00Z", "2027-03-28T04:59:00Z",
                    "2027-03-28T05:00:00Z", "2027-03-28T05:30:00Z", "2027-03-29T04:59:30Z",
                    "2027-03-29T05:00:00Z"]:
            before = len(mail.messages())
            inst.notify(now)
            if len(mail.messages()) > before:
                sent.append(now)
        check("the digest comes at 07:00 local time each day, across the change to summer "
              "time, once a day (none for the day the rule was applied after 07:00)",
              sent == ["2027-03-27T06:00:00Z", "2027-03-28T05:00:00Z", "2027-03-29T05:00:00Z"],
              sent)
        subjects = [m.get("Subject") for m in mail.emails()]
        check("each digest's subject names its local day",
              [s.split(":")[0] for s in subjects] ==
              ["vigil daily report 2027-03-27", "vigil daily report 2027-03-28",
               "vigil daily report 2027-03-29"], subjects)
        # A day the dispatcher did not run at 07:00: the digest comes when it next runs.
        inst.notify("2027-03-30T09:15:00Z")
        late = mail.emails()
        check("a digest missed at its time is sent at the next run that day",
              len(late) == 4 and "2027-03-30" in late[-1]["Subject"],
              [m["Subject"] for m in late])


def incident_unrated(d):
    """Incident replay: an unrated vulnerability imported at 14:00 is in the next morning's
    digest, and the one after, until it is classified."""
    with MailServer(d) as mail:
        cfg = smtp_config(mail) + ('[[notify.digest]]\nname = "security-officer"\nat = "07:00"\n'
                                   'time_zone = "Europe/Budapest"\nto = ["mso@example-ca.net"]\n')
        inst = Install(d, "unrated", cfg, "2026-12-01T08:00:00Z")
        inst.importing("unrated.json", trivy_unrated("registry.example/ca-web:1",
                                                      "CVE-2026-4242", "libfoo overflow"),
                       "2026-12-01T13:00:00Z")
        inst.notify("2026-12-01T13:05:00Z")
        check("no digest on the day the rule started after its time", mail.messages() == [])
        inst.notify("2026-12-02T06:00:00Z")
        inst.notify("2026-12-02T06:30:00Z")
        mails = mail.emails()
        first = mails[0].get_body(("plain",)).get_content() if mails else ""
        check("the next morning's digest reaches the security officer and lists the unrated "
              "vulnerability under 'Unclassified'", len(mails) == 1 and
              "CVE-2026-4242" in first and "Unclassified vulnerabilities" in first and
              mail.messages()[0]["rcpt_tos"] == ["mso@example-ca.net"], first)
        inst.notify("2026-12-03T06:00:00Z")
        mails = mail.emails()
        second = mails[-1].get_body(("plain",)).get_content() if len(mails) == 2 else ""
        check("the day after, it is still listed (no longer new)",
              "CVE-2026-4242" in second and
              second.index("Still needing attention") < second.index("CVE-2026-4242"), second)
        p = inst.v("decide", "CVE-2026-4242", "--type", "classify", "--reason", "other",
                   "--severity", "HIGH", "--basis",
                   "NVD rates it 8.1 (network, no privileges); we take its class", now=
                   "2026-12-03T09:00:00Z")
        p2 = inst.v("approve", "1", user="carol", now="2026-12-03T10:00:00Z")
        check("bob classifies it, carol approves", p.returncode == 0 and p2.returncode == 0,
              p.stderr + p2.stderr)
        inst.notify("2026-12-04T06:00:00Z")
        mails = mail.emails()
        third = mails[-1].get_body(("plain",)).get_content() if len(mails) == 3 else ""
        check("once classified it is no longer on the digest", third and
              "CVE-2026-4242" not in third.split("Unclassified")[-1] if "Unclassified" in third
              else third and "has no rating" not in third, third)


def incident_agents(d):
    """Incident replay: the agent scanner stops; one alert when it becomes stale, none on later
    runs, every digest lists it until scans resume (then an alert that it ended)."""
    with MailServer(d) as mail, WebhookReceiver(d, secret="whsec-test") as hook:
        cfg = ('[[scanner]]\nname = "agents"\nkind = "agent"\ncadence = "1d"\n' +
               smtp_config(mail) +
               f'[notify.webhook]\nsecret_file = "{hook.secret_file}"\n'
               '[[notify.digest]]\nname = "security-officer"\nat = "07:00"\n'
               'time_zone = "UTC"\nto = ["mso@example-ca.net"]\n'
               '[[notify.alert]]\nname = "scanning-broken"\n'
               'on = ["scanner-stale", "agent-silent", "asset-reappeared"]\n'
               'to = ["secops@example-ca.net"]\n'
               f'webhook = "{hook.url}/hooks/abc"\non_end = true\n')
        inst = Install(d, "agents", cfg, "2026-12-01T00:00:00Z")
        hosts = [("ca1", "10.1.0.1", "agent-1", [(3001, 7.5, "X")]),
                 ("ca2", "10.1.0.2", "agent-2", [(3001, 7.5, "X")])]
        for day in ("01", "02", "03"):
            inst.importing(f"agents-{day}.nessus",
                           nessus(hosts, epoch(f"2026-12-{day}T02:00:00Z")),
                           f"2026-12-{day}T03:00:00Z", scanner="agents")
            inst.notify(f"2026-12-{day}T07:00:00Z")
        alerts = lambda: [m for m in mail.emails() if "alert" in m["Subject"]]
        check("no alert while the agents report", alerts() == [],
              [m["Subject"] for m in alerts()])
        # The agents stop after the 3rd. Runs every few hours for a week.
        for day in range(4, 11):
            for hour in ("07:00", "12:00", "18:00"):
                inst.notify(f"2026-12-{day:02d}T{hour}:00Z")
        stale = [m for m in alerts() if "scanner-stale" in m["Subject"]]
        check("one alert when the scanner became stale, none repeated on later runs",
              len(stale) == 1, [m["Subject"] for m in alerts()])
        digests = [m for m in mail.emails() if "daily report" in m["Subject"]]
        listed = [("agents" in m.get_body(("plain",)).get_content() and
                   "Stale scanners" in m.get_body(("plain",)).get_content())
                  for m in digests[3:]]
        check("every digest after it lists the stale scanner", listed and all(listed[1:]),
              listed)
        reqs = hook.requests()
        # The receiver's own check also wants a recent time; these times are the test clock's.
        signed = [r for r in reqs if "scanner-stale" in r["body"] and valid_signature(
            b"whsec-test", r["headers"].get("x-vigil-signature", ""), r["body"])]
        check("the alert also went to the webhook, signed", len(signed) == 1,
              [r["body"][:80] for r in reqs])
        inst.importing("agents-11.nessus", nessus(hosts, epoch("2026-12-11T02:00:00Z")),
                       "2026-12-11T03:00:00Z", scanner="agents")
        inst.notify("2026-12-11T07:00:00Z")
        ended = [m for m in alerts() if "ended" in m["Subject"]]
        check("an alert that it ended once scans resumed (on_end)",
              any("scanner-stale" in m["Subject"] for m in ended),
              [m["Subject"] for m in alerts()])
        last = digests and [m for m in mail.emails() if "daily report" in m["Subject"]][-1]
        body = last.get_body(("plain",)).get_content() if last else ""
        check("the digest after scans resumed no longer lists it", "Stale scanners" not in body,
              body)
        p = inst.v("audit", "verify", now="2026-12-11T08:00:00Z")
        check("the audit log verifies, with the notifications in it", p.returncode == 0 and
              "ok" in p.stdout, p.stdout + p.stderr)


def test_webhooks(d):
    with WebhookReceiver(d, statuses=[500, 503], secret="whsec-1") as hook, \
            WebhookReceiver(d) as slack, WebhookReceiver(d) as teams, \
            WebhookReceiver(d, statuses=[410]) as gone:
        cfg = (f'[notify.webhook]\nsecret_file = "{hook.secret_file}"\n'
               '[[notify.alert]]\nname = "json"\non = ["new-vulnerability"]\n'
               f'webhook = "{hook.url}/in"\n'
               '[[notify.alert]]\nname = "slack"\non = ["new-vulnerability"]\n'
               f'webhook = "{slack.url}/services/T/B/X"\nwebhook_format = "slack"\n'
               '[[notify.alert]]\nname = "teams"\non = ["new-vulnerability"]\n'
               f'webhook = "{teams.url}/webhookb2/x"\nwebhook_format = "teams"\n'
               '[[notify.alert]]\nname = "gone"\non = ["new-vulnerability"]\n'
               f'webhook = "{gone.url}/old"\n')
        inst = Install(d, "hooks", cfg, "2026-12-01T10:00:00Z")
        inst.importing("w.nessus", nessus([("h", "10.2.0.1", None, [(4001, 9.8, "Crit *bold* "
                                                                     "<@here>")])],
                                          epoch("2026-12-01T09:00:00Z")), "2026-12-01T11:00:00Z")
        log = inst.log("2026-12-01T11:00:30Z")
        check("the import queued its alerts in its own transaction, before any notify run",
              len(log) == 4 and all(n["state"] == "pending" and
                                    n["created_at"] == "2026-12-01T11:00:00Z" for n in log), log)
        bad = write(d, "truncated.nessus", nessus([("h2", "10.2.0.2", None, [(4002, 9.8, "T")])],
                                                  epoch("2026-12-01T09:00:00Z"))[:-40])
        p = inst.v("import", bad, now="2026-12-01T11:00:40Z")
        check("a rejected import queues nothing", p.returncode == 2 and
              len(inst.log("2026-12-01T11:00:50Z")) == 4, p.stderr)
        p = inst.notify("2026-12-01T11:01:00Z")
        check("a 5xx is retried later, a 410 fails for good; exit 1",
              p.returncode == 1 and "will retry" in p.stdout and "failed" in p.stdout, p.stdout)
        inst.notify("2026-12-01T11:02:30Z")
        inst.notify("2026-12-01T11:10:00Z")
        reqs = hook.requests()
        check("the JSON webhook got there on the third attempt (1 and 4 minutes of backoff)",
              [r["status"] for r in reqs] == [500, 503, 200], [r["status"] for r in reqs])
        check("every attempt carries the same delivery id and body, each signed",
              len({r["delivery"] for r in reqs}) == 1 and len({r["body"] for r in reqs}) == 1
              and all(valid_signature(b"whsec-1", r["headers"].get("x-vigil-signature", ""),
                                  r["body"]) for r in reqs), reqs)
        if reqs:
            body = json.loads(reqs[-1]["body"])
            check("vigil's JSON: type, rule, event, condition, subject, detail, delivery",
                  body.get("type") == "alert" and body.get("event") == "started" and
                  body.get("condition") == "new-vulnerability" and
                  body.get("subject") == "tenable:4001" and body.get("delivery"), body)
            # The signature verifies as docs/notifications.md shows, and a change breaks it.
            sig = reqs[-1]["headers"]["x-vigil-signature"]
            t, v1 = re.fullmatch(r"t=(\d+),v1=([0-9a-f]{64})", sig).groups()
            mac = hmac.new(b"whsec-1", (t + "." + reqs[-1]["body"]).encode(),
                           hashlib.sha256).hexdigest()
            check("the HMAC-SHA256 is over timestamp '.' body", hmac.compare_digest(mac, v1),
                  sig)
            check("the signature's time is the send time",
                  int(t) == epoch("2026-12-01T11:10:00Z"), t)
        s = slack.requests()
        sb = json.loads(s[0]["body"]) if s else {}
        check("Slack format: text and blocks, what is read as mrkdwn escaped (no <@here>)",
              s and "&lt;@here&gt;" in sb["text"] and sb["blocks"][0]["type"] == "header" and
              sb["blocks"][1]["text"]["type"] == "mrkdwn" and
              "&lt;@here&gt;" in sb["blocks"][1]["text"]["text"] and
              "<@here>" not in sb["text"] + sb["blocks"][1]["text"]["text"], sb)
        t = teams.requests()
        tb = json.loads(t[0]["body"]) if t else {}
        check("Teams format: a MessageCard", tb.get("@type") == "MessageCard" and
              tb.get("title") and "\\*bold\\*" in tb.get("text", ""), tb)
        log = {n["rule"]: n for n in inst.log("2026-12-01T11:11:00Z")}
        check("notify log: sent after 3 attempts, the 410 failed with its status",
              log.get("json", {}).get("state") == "sent" and log["json"]["attempts"] == 3 and
              log.get("gone", {}).get("state") == "failed" and
              "HTTP 410" in (log["gone"]["last_error"] or ""), log)


def test_kill_mid_send(d):
    """A dispatcher killed while a mail is in the SMTP conversation, and while a webhook waits
    for its answer: after a restart each arrives, the mail exactly once, the webhook with the
    same delivery id (which receivers de-duplicate on)."""
    with MailServer(d, delay_rcpt=4) as mail, WebhookReceiver(d, delay=4) as hook:
        cfg = smtp_config(mail) + ('[[notify.alert]]\nname = "new"\non = ["new-vulnerability"]\n'
                                   'to = ["secops@example-ca.net"]\n'
                                   f'webhook = "{hook.url}/in"\n')
        inst = Install(d, "kill", cfg, "2026-12-01T10:00:00Z")
        inst.importing("k.nessus", nessus([("h", "10.3.0.1", None, [(5001, 7.0, "K")])],
                                          epoch("2026-12-01T09:00:00Z")), "2026-12-01T11:00:00Z")
        for round_, wait in [("mail", lambda: False), ("webhook", lambda: hook.requests())]:
            env = dict(os.environ, VIGIL_TOKEN=inst.tokens["bob"])
            proc = subprocess.Popen([VIGIL, "--db", inst.db, "--as", "bob", "--now",
                                     "2026-12-01T11:01:00Z", "notify", "run"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
            if round_ == "mail":
                wait_for(lambda: any(n["state"] == "sending"
                                     for n in inst.log("2026-12-01T11:01:00Z")), timeout=20)
                time.sleep(1.0)  # inside the SMTP conversation (RCPT waits 4 s)
            else:
                wait_for(wait, timeout=30)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            states = [n["state"] for n in inst.log("2026-12-01T11:01:00Z")]
            check(f"killed while sending the {round_}: it stays claimed (in doubt)",
                  "sending" in states, states)
        check("nothing was delivered by the killed mail attempt", mail.messages() == [])
        p = inst.notify("2026-12-01T11:02:00Z")
        check("within the lease nothing is sent again", mail.messages() == [] and
              len(hook.requests()) == 1, p.stdout)
        p = inst.notify("2026-12-01T11:30:00Z")
        check("after the lease both are sent", p.returncode == 0 and
              len(re.findall(r"^sent ", p.stdout, re.M)) == 2,
              p.stdout + p.stderr)
        msgs = mail.messages()
        check("the mail arrived exactly once", len(msgs) == 1, msgs)
        reqs = hook.requests()
        check("the webhook arrived again with the same delivery id and body",
              len(reqs) == 2 and reqs[0]["delivery"] == reqs[1]["delivery"] and
              reqs[0]["body"] == reqs[1]["body"], reqs)
        log = inst.log("2026-12-01T11:31:00Z")
        check("notify log shows the in-doubt attempt and the send",
              all(n["state"] == "sent" and any("in-doubt" in h for h in n["history"])
                  for n in log), log)
        p = inst.notify("2026-12-01T12:30:00Z")
        check("nothing is sent twice on later runs", len(mail.messages()) == 1 and
              len(hook.requests()) == 2, p.stdout)


class FakeJira:
    """tests/notify/fake_jira.py on the loopback."""

    def __init__(self, d):
        self.ready = os.path.join(d, "jira.ready")
        self.token_file = write(d, "jira-token", "jira-api-token-1\n")
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "fake_jira.py"),
                                      "--port", "0", "--user", "vigil@example-ca.net",
                                      "--token", "jira-api-token-1", "--ready-file", self.ready],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for(lambda: os.path.exists(self.ready) and open(self.ready).read().strip(),
                 timeout=20)
        self.url = "http://127.0.0.1:" + open(self.ready).read().strip()

    def control(self, path, body=None):
        req = urllib.request.Request(self.url + path, method="POST" if body is not None
                                     else "GET", data=json.dumps(body).encode()
                                     if body is not None else None,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def state(self):
        return self.control("/_fake/state")

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def test_jira(d, version):
    jira = FakeJira(d)
    try:
        cfg = (f'[notify]\nlink_base = "https://vigil.example-ca.net"\n'
               f'[notify.jira]\nurl = "{jira.url}"\napi_version = {version}\n'
               f'user = "vigil@example-ca.net"\ntoken_file = "{jira.token_file}"\n'
               'project = "VUL"\nlabels = ["security"]\nmin_class = "HIGH"\n')
        inst = Install(d, f"jira{version}", cfg, "2026-12-01T10:00:00Z")
        hosts = [("web1", "10.4.0.1", None, [(6001, 8.1, "OpenSSL flaw"), (6002, 5.0, "Minor")]),
                 ("web2", "10.4.0.2", None, [(6001, 8.1, "OpenSSL flaw")])]
        inst.importing("j1.nessus", nessus(hosts, epoch("2026-12-01T09:00:00Z")),
                       "2026-12-01T11:00:00Z")
        # Every third request is refused with 429 and Retry-After: 1.
        jira.control("/_fake/rate-limit", {"every": 3})
        p = inst.notify("2026-12-01T11:01:00Z")
        st = jira.state()
        issues = st["issues"]
        check(f"v{version}: one issue for the HIGH vulnerability, none for the MEDIUM one",
              len(issues) == 1 and issues[0]["summary"].startswith("tenable:6001"),
              (p.stdout, issues))
        if not issues:
            return
        issue = issues[0]
        check(f"v{version}: labels: ours, vigil, the class, the vulnerability's own",
              {"security", "vigil", "vigil-class-HIGH"} <= set(issue["labels"]) and
              any(re.fullmatch(r"vigil-[0-9a-f]{16}", x) for x in issue["labels"]),
              issue["labels"])
        desc = json.dumps(issue["description"])
        check(f"v{version}: the description names the affected assets and links back",
              "web1" in desc and "web2" in desc and
              "https://vigil.example-ca.net/vulnerabilities/tenable%3A6001" in desc and
              issue["descriptionFormat"] == ("adf" if version == 3 else "wiki"), desc)
        p = inst.v("vulns", "show", "tenable:6001", now="2026-12-01T11:02:00Z")
        check(f"v{version}: vulns show names the Jira issue", "jira: VUL-1" in p.stdout,
              p.stdout)
        p = inst.v("vulns", "show", "tenable:6001", "--format", "json",
                   now="2026-12-01T11:02:00Z")
        check(f"v{version}: and its JSON (the API's) has jira_issue",
              p.returncode == 0 and json.loads(p.stdout).get("jira_issue") == "VUL-1", p.stdout)
        # Jira is down for the next two requests: they are retried.
        jira.control("/_fake/fail", {"status": 503, "count": 2})
        # The class changes (a recast, approved): the issue is updated and commented.
        p = inst.v("decide", "tenable:6001", "--type", "recast", "--reason",
                   "other", "--severity", "CRITICAL", "--basis",
                   "exploited in the wild against CA web front ends this week",
                   now="2026-12-01T12:00:00Z")
        p2 = inst.v("approve", "1", user="carol", now="2026-12-01T12:30:00Z")
        check(f"v{version}: a recast to CRITICAL, approved", p.returncode == 0 and
              p2.returncode == 0, p.stderr + p2.stderr)
        for now in ("2026-12-01T12:31:00Z", "2026-12-01T12:40:00Z", "2026-12-01T13:00:00Z"):
            inst.notify(now)
        issue = jira.state()["issues"][0]
        check(f"v{version}: updated to the new class",
              "vigil-class-CRITICAL" in issue["labels"] and
              "vigil-class-HIGH" not in issue["labels"], issue["labels"])
        check(f"v{version}: commented once with the approved decision",
              len(issue["comments"]) == 1 and
              "(vigil decision 1)" in json.dumps(issue["comments"][0]["body"]),
              issue["comments"])
        # The fix verified by a rescan: the issue moves to Done.
        fixed = [("web1", "10.4.0.1", None, [(6002, 5.0, "Minor")]), ("web2", "10.4.0.2", None, [])]
        inst.importing("j2.nessus", nessus(fixed, epoch("2026-12-02T09:00:00Z")),
                       "2026-12-02T10:00:00Z")
        for now in ("2026-12-02T10:01:00Z", "2026-12-02T10:10:00Z", "2026-12-02T10:30:00Z"):
            inst.notify(now)
        st = jira.state()
        issue = st["issues"][0]
        check(f"v{version}: transitioned to Done when the rescan verified the fix",
              issue["status"] == "Done", issue["status"])
        check(f"v{version}: 429s and 503s were met and waited out",
              any(r["status"] == 429 for r in st["requests"]) and
              sum(1 for r in st["requests"] if r["status"] == 503) == 2, st["requests"])
        check(f"v{version}: every request vigil sent had the documented shape",
              st["violations"] == [], st["violations"])
        log = inst.log("2026-12-02T11:00:00Z", "--rule", "jira")
        check(f"v{version}: notify log: create, update, comment, transition all sent",
              sorted(n["state"] for n in log) == ["sent"] * 4, [(n["key"], n["state"],
                                                                 n["last_error"]) for n in log])
    finally:
        jira.close()


def test_jira_in_doubt(d):
    """Killed after Jira created the issue but before vigil heard back: the next run finds the
    issue by its label instead of creating a second one."""
    jira = FakeJira(d)
    try:
        cfg = (f'[notify.jira]\nurl = "{jira.url}"\nuser = "vigil@example-ca.net"\n'
               f'token_file = "{jira.token_file}"\nproject = "VUL"\n')
        inst = Install(d, "doubt", cfg, "2026-12-01T10:00:00Z")
        inst.importing("d.nessus", nessus([("h", "10.5.0.1", None, [(7001, 9.0, "D")])],
                                          epoch("2026-12-01T09:00:00Z")), "2026-12-01T11:00:00Z")
        jira.control("/_fake/stall", {"seconds": 8, "count": 1})
        env = dict(os.environ, VIGIL_TOKEN=inst.tokens["bob"])
        proc = subprocess.Popen([VIGIL, "--db", inst.db, "--as", "bob", "--now",
                                 "2026-12-01T11:01:00Z", "notify", "run"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        wait_for(lambda: jira.state()["issues"], timeout=30)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        inst.notify("2026-12-01T11:30:00Z")
        st = jira.state()
        check("in doubt, the issue is found by its label, not created twice",
              len(st["issues"]) == 1 and any("search" in r["path"] for r in st["requests"]),
              (st["issues"], st["requests"]))
        p = inst.v("vulns", "show", "tenable:7001", now="2026-12-01T11:31:00Z")
        check("and its key is kept", "jira: VUL-1" in p.stdout, p.stdout)
    finally:
        jira.close()


def test_alert_conditions(d):
    """The alert conditions besides the incidents': a deadline due within N hours and then
    missed, a decision waiting for approval, a decommissioned asset reappearing (queued by the
    import itself), with the zone and scanner filters."""
    with WebhookReceiver(d) as hook:
        url = hook.url
        cfg = ('[policy]\nprofiles = ["ncssr-1.7"]\n'
               '[[asset_rule]]\ncidr = "10.6.1.0/24"\nzone = "core"\n'
               '[[asset_rule]]\ncidr = "10.6.2.0/24"\nzone = "dmz"\n'
               '[[scanner]]\nname = "net"\nkind = "network"\ncadence = "7d"\n'
               '[[notify.alert]]\nname = "deadlines"\non = ["clock-due", "clock-missed"]\n'
               f'due_within = "24h"\nzones = ["core"]\nwebhook = "{url}/deadlines"\n'
               '[[notify.alert]]\nname = "waiting"\non = ["approval-waiting"]\n'
               f'approval_after = "12h"\nwebhook = "{url}/waiting"\n'
               '[[notify.alert]]\nname = "back"\non = ["asset-reappeared"]\n'
               f'webhook = "{url}/back"\n'
               '[[notify.alert]]\nname = "agents-only"\non = ["scanner-stale"]\n'
               f'scanners = ["agents"]\nwebhook = "{url}/agents-only"\n')
        inst = Install(d, "conditions", cfg, "2026-12-01T08:00:00Z")
        seen = "2026-12-01T09:00:00Z"  # the deadline (NCSSR 1.7 4.f, 96 h): 12-05T09:00Z
        hosts = [("db1", "10.6.1.1", None, [(8001, 9.8, "Core flaw")]),
                 ("web9", "10.6.2.9", None, [(8002, 9.1, "DMZ flaw")])]
        inst.importing("c1.nessus", nessus(hosts, epoch(seen)), "2026-12-01T10:00:00Z",
                       scanner="net")

        def paths():
            return [(r["path"], json.loads(r["body"]).get("subject")) for r in hook.requests()]

        p = inst.v("decide", "tenable:8002", "--type", "recast", "--reason", "other",
                   "--severity", "HIGH", "--basis", "reachable only from the jump host VLAN",
                   now="2026-12-01T11:00:00Z")
        check("bob proposes a decision", p.returncode == 0, p.stderr)
        inst.notify("2026-12-01T22:00:00Z")
        check("nothing before its time", paths() == [], paths())
        inst.notify("2026-12-01T23:30:00Z")
        check("a decision waiting over 12 h: one alert", paths() == [("/waiting", "decision #1")],
              paths())
        inst.notify("2026-12-04T08:00:00Z")
        check("nothing due within 24 h yet at 25 h before the deadline",
              [p for p in paths() if p[0] == "/deadlines"] == [], paths())
        inst.notify("2026-12-04T10:00:00Z")
        due = [p for p in paths() if p[0] == "/deadlines"]
        check("due within 24 h: an alert for the core zone's vulnerability only",
              due == [("/deadlines", "ncssr-1.7/4.f/tenable:8001")], due)
        inst.notify("2026-12-05T09:30:00Z")
        inst.notify("2026-12-05T12:00:00Z")
        reqs = [json.loads(r["body"]) for r in hook.requests() if r["path"] == "/deadlines"]
        check("then missed: one alert, not repeated",
              [b["condition"] for b in reqs] == ["clock-due", "clock-missed"], reqs)
        check("the waiting decision was not alerted again", sum(
            1 for p in paths() if p[0] == "/waiting") == 1, paths())
        p = inst.v("decommission", "web9", "--reason", "retired with the old DMZ",
                   now="2026-12-05T13:00:00Z")
        check("web9 decommissioned", p.returncode == 0, p.stderr)
        inst.importing("c2.nessus", nessus(hosts, epoch("2026-12-06T09:00:00Z")),
                       "2026-12-06T10:00:00Z", scanner="net")
        pending = [n for n in inst.log("2026-12-06T10:00:30Z", "--rule", "back")]
        check("the reappearance was queued by the import itself",
              len(pending) == 1 and pending[0]["state"] == "pending" and
              pending[0]["created_at"] == "2026-12-06T10:00:00Z", pending)
        inst.notify("2026-12-06T10:01:00Z")
        check("asset-reappeared: one alert for web9", ("/back", "web9") in paths(), paths())
        inst.notify("2026-12-20T10:00:00Z")
        check("the scanner filter: net's staleness is not agents-only's",
              not any(p[0] == "/agents-only" for p in paths()), paths())


def test_serve_dispatches(d):
    """`vigil serve` runs the dispatcher: a scan pushed through the API queues its alert in its
    own transaction, and the server sends it right after, not at the next minute."""
    sys.path.insert(0, os.path.join(HERE, "..", "server"))
    from api_test import Server  # noqa: E402
    with WebhookReceiver(d) as hook:
        cfg = write(d, "serve.toml", '[[notify.alert]]\nname = "new"\n'
                    f'on = ["new-vulnerability"]\nwebhook = "{hook.url}/in"\n')
        db = os.path.join(d, "serve.db")
        p = run("init", db=db, config=cfg, now=None)
        p = run("user", "add", "alice", "--role", "admin", db=db, now=None, as_user="alice")
        m = re.search(r"^token: (vgt_\S+)$", p.stdout, re.M)
        token = m.group(1) if m else ""
        s = Server(db, os.path.join(d, "access.log"))
        try:
            body = nessus([("h", "10.7.0.1", None, [(9001, 9.8, "Pushed")])], int(time.time()))
            status, _, _, _ = s.request("POST", "/api/v1/scans?scanner=ci", body, token=token)
            check("a scan pushed through the API", status == 201, status)
            start = time.monotonic()
            reqs = wait_for(lambda: hook.requests(), timeout=30)
            check("the server sends its alert at once, not a minute later",
                  time.monotonic() - start < 20 and "tenable:9001" in reqs[0]["body"],
                  (time.monotonic() - start, reqs))
        finally:
            rc = s.stop()
        check("the server stops cleanly with its dispatcher", rc == 0,
              "".join(s.stderr_lines))
        check("the server logged the send", any("notifications: sent alert webhook" in line
                                                for line in s.stderr_lines), s.stderr_lines)


def main():
    with tempfile.TemporaryDirectory() as d:
        for name, t in [("config", test_config_errors), ("mail", test_mail_starttls_auth),
                        ("smtps", test_mail_implicit_tls_and_refusals),
                        ("schedule", test_digest_schedule), ("unrated", incident_unrated),
                        ("agents", incident_agents), ("webhooks", test_webhooks),
                        ("kill", test_kill_mid_send), ("conditions", test_alert_conditions),
                        ("jira3", lambda sub: test_jira(sub, 3)),
                        ("jira2", lambda sub: test_jira(sub, 2)),
                        ("doubt", test_jira_in_doubt), ("serve", test_serve_dispatches)]:
            sub = os.path.join(d, name)
            os.mkdir(sub)
            t(sub)
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    sys.exit(1 if RESULTS["failed"] else 0)


if __name__ == "__main__":
    main()

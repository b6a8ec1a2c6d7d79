#!/usr/bin/env python3
"""Helpers of bench/run_server_bench.sh: idle keep-alive connections, and the soak.

  server_load.py idle PORT N SECONDS
      opens N keep-alive connections to 127.0.0.1:PORT (each sends one complete request and
      then stays idle, reading nothing more), keeps them for SECONDS, prints how many stayed
      open.
  server_load.py soak PORT SECONDS VIGIL_PID TOKENS.json REPORT_DIR
      mixed load for SECONDS: readers (list, detail, dashboard JSON, metrics), one analyst
      proposing decisions and one approver approving them, one pipeline importing a small
      scan every few seconds. Prints a JSON summary: requests and errors per kind, the
      server's RSS at start and end, its peak (VmHWM).
"""
import http.client
import json
import os
import random
import resource
import socket
import sys
import threading
import time


def rss(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                out[key] = int(value.split()[0])
    return out


def idle(port, n, seconds):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, n + 64)), hard))
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        socks.append(s)
    for s in socks:
        s.settimeout(10)
        s.recv(4096)
    time.sleep(seconds)
    alive = 0
    for s in socks:
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            alive += 1 if s.recv(4096).startswith(b"HTTP/1.1 200") else 0
        except OSError:
            pass
        s.close()
    print(json.dumps({"opened": n, "alive_after": alive}))


class Client:
    def __init__(self, port, token):
        self.port = port
        self.token = token
        self.conn = None

    def call(self, method, path, body=None, ctype="application/json"):
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                headers = {"Authorization": "Bearer " + self.token}
                if body is not None:
                    headers["Content-Type"] = ctype
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                data = r.read()
                return r.status, data
            except (OSError, http.client.HTTPException):
                self.conn = None
                if attempt == 1:
                    return 0, b""
        return 0, b""


def soak(port, seconds, pid, tokens_file, report_dir):
    with open(tokens_file) as f:
        tokens = json.load(f)
    stats = {}
    lock = threading.Lock()
    stop = time.time() + seconds

    def count(kind, ok, status=None):
        with lock:
            s = stats.setdefault(kind, {"requests": 0, "errors": 0, "statuses": {}})
            s["requests"] += 1
            s["errors"] += 0 if ok else 1
            if status is not None:
                s["statuses"][str(status)] = s["statuses"].get(str(status), 0) + 1

    reader = Client(port, tokens["erin"])
    status, data = reader.call("GET", "/api/v1/vulnerabilities?limit=1000")
    keys = [v["key"] for v in json.loads(data)["items"]] if status == 200 else []

    def read_loop(seed):
        rnd = random.Random(seed)
        c = Client(port, tokens["erin"])
        while time.time() < stop:
            kind = rnd.choice(["list", "detail", "metrics", "scanners"])
            if kind == "list":
                status, _ = c.call("GET", "/api/v1/vulnerabilities?limit=100&cursor=o" +
                                   str(rnd.randrange(0, 4900)))
            elif kind == "detail" and keys:
                status, _ = c.call("GET", "/api/v1/vulnerabilities/" + rnd.choice(keys))
            elif kind == "metrics":
                status, _ = c.call("GET", "/metrics")
            else:
                status, _ = c.call("GET", "/api/v1/scanners")
            count(kind, status == 200, status)

    def decide_loop():
        analyst = Client(port, tokens["bob"])
        approver = Client(port, tokens["carol"])
        rnd = random.Random(7)
        n = 0
        while time.time() < stop and keys:
            n += 1
            # Recasts (which wait for the approver) and mitigation plans (which need none), in turn.
            if n % 2:
                body = json.dumps({"key": rnd.choice(keys), "type": "recast",
                                   "reason": "compensating-controls", "severity": "MEDIUM",
                                   "basis": "soak: reachable from the management network only"})
            else:
                body = json.dumps({"key": rnd.choice(keys), "type": "mitigation-plan",
                                   "reason": "compensating-controls",
                                   "basis": "soak: the service sits behind the WAF, rule 4711",
                                   "target": time.strftime(
                                       "%Y-%m-%dT%H:%M:%SZ",
                                       time.gmtime(time.time() + 30 * 86400))})
            status, data = analyst.call("POST", "/api/v1/decisions", body)
            count("decide", status == 201, status)
            if status == 201:
                d = json.loads(data)
                if d.get("state") == "pending":
                    status, _ = approver.call("POST", f"/api/v1/decisions/{d['id']}/approve",
                                              json.dumps({"note": "soak"}))
                    count("approve", status == 200, status)
            time.sleep(0.5)

    def import_loop():
        pipeline = Client(port, tokens["pipeline"])
        n = 0
        while time.time() < stop:
            n += 1
            start = int(time.time()) - 60
            hosts = "".join(
                f'<ReportHost name="soak{n}-{h}"><HostProperties>'
                f'<tag name="HOST_START_TIMESTAMP">{start}</tag>'
                f'<tag name="host-ip">10.250.{n % 250}.{h}</tag></HostProperties>'
                f'<ReportItem port="443" svc_name="www" protocol="tcp" severity="3" '
                f'pluginID="{900000 + h}" pluginName="soak plugin {h}" pluginFamily="x">'
                f'<cvss3_base_score>7.5</cvss3_base_score></ReportItem></ReportHost>'
                for h in range(1, 21))
            report = ('<?xml version="1.0" ?><NessusClientData_v2><Report name="soak">' + hosts +
                      "</Report></NessusClientData_v2>")
            status, data = pipeline.call("POST", "/api/v1/scans?scanner=soak", report.encode(),
                                         "application/xml")
            count("import", status in (200, 201), status)
            if status not in (200, 201):
                with lock:
                    stats["import"]["last_error"] = data[:300].decode("utf-8", "replace")
            time.sleep(5)

    start_rss = rss(pid)
    threads = [threading.Thread(target=read_loop, args=(i,)) for i in range(4)]
    threads += [threading.Thread(target=decide_loop), threading.Thread(target=import_loop)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    end_rss = rss(pid)
    print(json.dumps({"seconds": seconds, "stats": stats, "rss_start_kb": start_rss["VmRSS"],
                      "rss_end_kb": end_rss["VmRSS"], "rss_peak_kb": end_rss["VmHWM"]}))


if __name__ == "__main__":
    if sys.argv[1] == "idle":
        idle(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
    elif sys.argv[1] == "soak":
        soak(int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6])
    else:
        sys.exit("usage: server_load.py idle|soak ...")

#!/usr/bin/env python3
"""Self-test of fake_jira.py.

Starts the fake as a subprocess on port 0 (a few tests start their own
instance), drives every endpoint and error with urllib / http.client and prints
one "ok NAME" or "FAIL NAME" line per check; exits 1 if any failed.
Usage: python3 tests/notify/fake_jira_selftest.py [NAME_SUBSTRING ...]
"""

import base64
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE = os.path.join(HERE, "fake_jira.py")
USER, TOKEN = "vigil@example-ca.net", "TOKEN"
TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$")
TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def eq(actual, expected, what=""):
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")


# ------------------------------------------------------------------ the fake
class Fake:
    """A fake_jira.py subprocess and a small client for it."""

    def __init__(self, tmpdir, *extra):
        self.ready = os.path.join(tmpdir, f"ready-{time.monotonic_ns()}")
        self.proc = subprocess.Popen(
            [sys.executable, FAKE, "--port", "0", "--user", USER, "--token", TOKEN,
             "--ready-file", self.ready, *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 20
        while not os.path.exists(self.ready):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"fake_jira did not start: {self.proc.stderr.read()}")
            time.sleep(0.05)
        with open(self.ready) as f:
            self.port = int(f.read())
        self.stdout_port = int(self.proc.stdout.readline())
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def call(self, method, path, body=None, *, auth=(USER, TOKEN), accept="application/json",
             ctype="application/json", raw=None, headers=None):
        """-> (status, headers, parsed JSON body or None)."""
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if auth:
            req.add_header("Authorization", "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode())
        if accept:
            req.add_header("Accept", accept)
        if data is not None and ctype:
            req.add_header("Content-Type", ctype)
        for name, value in (headers or {}).items():
            req.add_header(name, value)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                status, hdrs, payload = resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as e:
            status, hdrs, payload = e.code, e.headers, e.read()
        return status, hdrs, (json.loads(payload) if payload else None)

    def control(self, method, path, body=None):
        return self.call(method, "/_fake/" + path, body, auth=None)

    def state(self):
        return self.control("GET", "state")[2]

    def create(self, fields=None, version=2, **extra_fields):
        f = {"project": {"key": "VUL"}, "issuetype": {"name": "Bug"}, "summary": "CVE-2024-0001 in libfoo"}
        f.update(fields or {})
        f.update(extra_fields)
        status, _, body = self.call("POST", f"/rest/api/{version}/issue", {"fields": f})
        eq(status, 201, f"create {f}: {body}")
        return body


def q(jql, **params):
    return urllib.parse.urlencode({"jql": jql, **params})


def adf(*blocks):
    return {"type": "doc", "version": 1, "content": list(blocks)}


def para(*texts):
    return {"type": "paragraph", "content": [{"type": "text", "text": t} for t in texts]}


RICH_ADF = adf(
    {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "Finding"}]},
    {"type": "paragraph", "content": [
        {"type": "text", "text": "Package "},
        {"type": "text", "text": "libfoo", "marks": [{"type": "strong"}]},
        {"type": "text", "text": " is "},
        {"type": "text", "text": "vulnerable", "marks": [{"type": "em"}, {"type": "underline"}]},
        {"type": "hardBreak"},
        {"type": "text", "text": "advisory", "marks": [{"type": "link", "attrs": {"href": "https://nvd.nist.gov/x"}}]},
        {"type": "text", "text": " fn()", "marks": [{"type": "code"}]}]},
    {"type": "bulletList", "content": [
        {"type": "listItem", "content": [para("CVSS 9.8"),
                                         {"type": "orderedList", "attrs": {"order": 1},
                                          "content": [{"type": "listItem", "content": [para("nested")]}]}]},
        {"type": "listItem", "content": [para("EPSS 0.4")]}]},
    {"type": "codeBlock", "attrs": {"language": "text"}, "content": [{"type": "text", "text": "pkg:npm/libfoo@1.2.3"}]},
    {"type": "rule"},
    {"type": "table", "attrs": {"isNumberColumnEnabled": False, "layout": "default"}, "content": [
        {"type": "tableRow", "content": [
            {"type": "tableHeader", "attrs": {}, "content": [para("CVE")]},
            {"type": "tableHeader", "content": [para("Severity")]}]},
        {"type": "tableRow", "content": [
            {"type": "tableCell", "attrs": {"colspan": 1}, "content": [para("CVE-2024-0001")]},
            {"type": "tableCell", "content": [para("critical")]}]}]},
    {"type": "paragraph"},
)


# ------------------------------------------------------------ basic protocol
@test
def startup_reports_port(j):
    eq(j.stdout_port, j.port, "stdout port vs ready file")
    check(j.port > 0, "port")


@test
def auth_missing_is_401(j):
    status, hdrs, body = j.call("GET", "/rest/api/2/issue/VUL-1", auth=None)
    eq(status, 401, "status")
    check(hdrs.get("WWW-Authenticate", "").startswith("Basic"), f"WWW-Authenticate {hdrs.get('WWW-Authenticate')}")
    eq(set(body), {"errorMessages", "errors"}, "body keys")
    check(body["errorMessages"] and body["errors"] == {}, body)


@test
def auth_wrong_token_or_user_is_401(j):
    for auth in ((USER, "nope"), ("other@example-ca.net", TOKEN)):
        status, hdrs, body = j.call("POST", "/rest/api/2/issue", {"fields": {}}, auth=auth)
        eq(status, 401, f"status for {auth}")
        check("WWW-Authenticate" in hdrs, "WWW-Authenticate")
    status, _, _ = j.call("GET", "/rest/api/2/issue/VUL-1", headers={"Authorization": "Bearer abc"}, auth=None)
    eq(status, 401, "bearer")
    eq(j.state()["violations"], [], "401s are no violations")


@test
def accept_header_required(j):
    j.create()
    status, _, body = j.call("GET", "/rest/api/2/issue/VUL-1", accept=None)
    eq(status, 406, "no Accept")
    check(body["errorMessages"], body)
    eq(j.call("GET", "/rest/api/2/issue/VUL-1", accept="text/html")[0], 406, "text/html")
    eq(j.call("GET", "/rest/api/2/issue/VUL-1", accept="application/json;q=0")[0], 406, "q=0")
    eq(j.call("GET", "/rest/api/2/issue/VUL-1", accept="text/html, application/json;q=0.9")[0], 200, "list")
    violations = j.state()["violations"]
    eq(len(violations), 3, f"violations {violations}")
    check("406" in violations[0] and "Accept" in violations[0], violations[0])


@test
def content_type_must_be_json(j):
    fields = {"fields": {"project": {"key": "VUL"}, "issuetype": {"name": "Bug"}, "summary": "x"}}
    status, _, body = j.call("POST", "/rest/api/2/issue", fields, ctype="text/plain")
    eq(status, 415, "text/plain")
    check(body["errorMessages"], body)
    eq(j.call("POST", "/rest/api/2/issue", fields, ctype=None)[0], 415, "no content type")
    eq(j.call("POST", "/rest/api/2/issue", fields, ctype="application/json; charset=UTF-8")[0], 201, "charset")
    eq(len(j.state()["issues"]), 1, "only the good one created")
    check(any("415" in v and "Content-Type" in v for v in j.state()["violations"]), "violation")


@test
def malformed_bodies_are_400(j):
    for raw, what in ((b"{not json", "syntax"), (b"[1, 2]", "array"), (b"", "empty"),
                      (b'{"fields": NaN}', "NaN"), (b"\xff\xfe{}", "not utf-8")):
        status, _, body = j.call("POST", "/rest/api/3/issue", raw=raw)
        eq(status, 400, what)
        check(body["errorMessages"], f"{what}: {body}")
    eq(len(j.state()["violations"]), 5, "each is a violation")


@test
def unknown_path_404_wrong_method_405(j):
    status, _, body = j.call("GET", "/rest/api/2/project/VUL")
    eq(status, 404, "unknown path")
    check(body["errorMessages"], body)
    eq(j.call("GET", "/nothing/here")[0], 404, "non-REST path")
    status, hdrs, body = j.call("DELETE", "/rest/api/2/search/jql")
    eq(status, 405, "DELETE search/jql")
    check("GET" in hdrs.get("Allow", "") and "POST" in hdrs.get("Allow", ""), hdrs.get("Allow"))
    eq(j.call("GET", "/rest/api/3/issue")[0], 405, "GET issue collection")
    eq(j.call("POST", "/rest/api/2/issue/VUL-1", {})[0], 405, "POST issue/key")
    violations = j.state()["violations"]
    eq(len(violations), 3, f"only the 405s: {violations}")


# --------------------------------------------------------------- create issue
@test
def create_v2_then_v3_ids_and_self(j):
    a = j.create({"labels": ["vigil", "cve-2024-0001"], "description": "h2. Finding\n*libfoo* is vulnerable"})
    eq(a, {"id": "10001", "key": "VUL-1", "self": f"{j.base}/rest/api/2/issue/10001"}, "first")
    b = j.create({"description": RICH_ADF, "issuetype": {"name": "Vulnerability"}}, version=3)
    eq(b, {"id": "10002", "key": "VUL-2", "self": f"{j.base}/rest/api/3/issue/10002"}, "second")
    c = j.create({"project": {"id": "10000"}, "issuetype": {"id": "10101"}})
    eq(c["key"], "VUL-3", "by ids")
    issues = j.state()["issues"]
    eq([i["issuetype"] for i in issues], ["Bug", "Vulnerability", "Task"], "types")
    eq(issues[0]["labels"], ["cve-2024-0001", "vigil"], "labels (sorted, like Jira)")
    eq(issues[1]["description"], RICH_ADF, "ADF kept")
    eq(issues[1]["descriptionFormat"], "adf", "format")


def expect_field_error(j, version, fields, key, message, replace=True):
    base = {"project": {"key": "VUL"}, "issuetype": {"name": "Bug"}, "summary": "ok"}
    body = {"fields": fields if not replace else {**base, **fields}}
    status, _, resp = j.call("POST", f"/rest/api/{version}/issue", body)
    eq(status, 400, f"{fields}")
    eq(resp["errorMessages"], [], f"errorMessages for {fields}")
    check(key in resp["errors"], f"errors.{key} missing in {resp}")
    check(message in resp["errors"][key], f"errors.{key}: {resp['errors'][key]!r} lacks {message!r}")


@test
def create_validation_errors(j):
    expect_field_error(j, 2, {"project": {"key": "NOPE"}}, "project", "valid project")
    expect_field_error(j, 2, {"project": "VUL"}, "project", "valid project")
    expect_field_error(j, 3, {"issuetype": {"name": "Epic"}}, "issuetype", "issue type selected is invalid")
    expect_field_error(j, 2, {"project": {"key": "VUL"}, "summary": "x"}, "issuetype", "Specify an issue type",
                       replace=False)
    expect_field_error(j, 2, {"project": {"key": "VUL"}, "issuetype": {"name": "Bug"}}, "summary",
                       "must specify a summary", replace=False)
    expect_field_error(j, 2, {"summary": "   "}, "summary", "must specify a summary")
    expect_field_error(j, 2, {"summary": 42}, "summary", "must be a string")
    expect_field_error(j, 2, {"summary": "two\nlines"}, "summary", "newline")
    expect_field_error(j, 3, {"summary": "x" * 256}, "summary", "255")
    expect_field_error(j, 2, {"summary": "\U0001F41B" * 128}, "summary", "255")  # 256 UTF-16 units
    expect_field_error(j, 2, {"labels": "vigil"}, "labels", "array")
    expect_field_error(j, 2, {"labels": ["two words"]}, "labels", "can't contain spaces")
    expect_field_error(j, 2, {"labels": [""]}, "labels", "empty")
    expect_field_error(j, 2, {"labels": [7]}, "labels", "string")
    expect_field_error(j, 2, {"labels": ["x" * 256]}, "labels", "255")
    expect_field_error(j, 2, {"description": {"type": "doc", "version": 1, "content": []}}, "description", "string")
    expect_field_error(j, 2, {"description": "x" * 32768}, "description", "too long")
    expect_field_error(j, 3, {"description": "plain text"}, "description",
                       "Operation value must be an Atlassian Document")
    expect_field_error(j, 3, {"description": {"content": []}}, "description", "Atlassian Document")
    expect_field_error(j, 2, {"priority": {"name": "High"}}, "priority",
                       "Field 'priority' cannot be set. It is not on the appropriate screen, or unknown.")
    expect_field_error(j, 3, {"status": {"name": "Done"}}, "status", "cannot be set")
    eq(j.call("POST", "/rest/api/2/issue", {"fields": {}, "bogus": 1})[0], 400, "unknown top-level key")
    eq(j.state()["issues"], [], "nothing created")
    eq(len(j.state()["violations"]), 22, "each refusal is a violation")
    check("errors.summary" in j.state()["violations"][7], j.state()["violations"][7])


@test
def create_all_field_errors_at_once(j):
    status, _, resp = j.call("POST", "/rest/api/2/issue", {"fields": {
        "project": {"key": "X"}, "issuetype": {"name": "X"}, "labels": ["a b"], "foo": 1}})
    eq(status, 400, "status")
    eq(set(resp["errors"]), {"project", "issuetype", "summary", "labels", "foo"}, "all reported")


@test
def create_rejects_bad_adf(j):
    bad = {
        "empty text": adf({"type": "paragraph", "content": [{"type": "text", "text": ""}]}),
        "unknown node": adf({"type": "marquee", "content": []}),
        "heading level 7": adf({"type": "heading", "attrs": {"level": 7}, "content": []}),
        "heading no level": adf({"type": "heading", "content": []}),
        "link without href": adf({"type": "paragraph", "content": [
            {"type": "text", "text": "x", "marks": [{"type": "link", "attrs": {}}]}]}),
        "unknown mark": adf({"type": "paragraph", "content": [
            {"type": "text", "text": "x", "marks": [{"type": "blink"}]}]}),
        "code with strong": adf({"type": "paragraph", "content": [
            {"type": "text", "text": "x", "marks": [{"type": "code"}, {"type": "strong"}]}]}),
        "text at top level": adf({"type": "text", "text": "x"}),
        "empty list": adf({"type": "bulletList", "content": []}),
        "list of paragraphs": adf({"type": "bulletList", "content": [para("x")]}),
        "list first in item": adf({"type": "bulletList", "content": [{"type": "listItem", "content": [
            {"type": "bulletList", "content": [{"type": "listItem", "content": [para("x")]}]}]}]}),
        "marks in codeBlock": adf({"type": "codeBlock", "content": [
            {"type": "text", "text": "x", "marks": [{"type": "strong"}]}]}),
        "version 2": {"type": "doc", "version": 2, "content": []},
        "content not array": {"type": "doc", "version": 1, "content": {}},
        "extra property": adf({"type": "paragraph", "content": [], "style": "x"}),
        "cell without content": adf({"type": "table", "content": [{"type": "tableRow", "content": [
            {"type": "tableCell", "content": []}]}]}),
        "rule with content": adf({"type": "rule", "content": []}),
    }
    for what, doc in bad.items():
        status, _, resp = j.call("POST", "/rest/api/3/issue", {"fields": {
            "project": {"key": "VUL"}, "issuetype": {"name": "Bug"}, "summary": "x", "description": doc}})
        eq(status, 400, what)
        check(resp["errorMessages"] and "can't create this issue" in resp["errorMessages"][0], f"{what}: {resp}")
    violations = j.state()["violations"]
    eq(len(violations), len(bad), "violations")
    check("doc.content[0].content[0]" in violations[0] and "non-empty" in violations[0], violations[0])
    check("marquee" in violations[1], violations[1])
    eq(j.state()["issues"], [], "nothing created")


@test
def create_with_update_and_transition(j):
    status, _, body = j.call("POST", "/rest/api/2/issue", {
        "fields": {"project": {"key": "VUL"}, "issuetype": {"name": "Task"}},
        "update": {"summary": [{"set": "from update"}], "labels": [{"add": "x"}, {"add": "y"}]},
        "transition": {"id": "21"}})
    eq(status, 201, body)
    eq(body["transition"]["status"], 200, "transition result")
    issue = j.state()["issues"][0]
    eq((issue["summary"], issue["labels"], issue["status"]), ("from update", ["x", "y"], "In Progress"), "applied")


# ------------------------------------------------------------------ get issue
@test
def get_issue_shapes(j):
    j.create({"labels": ["vigil"], "description": "first line\nsecond line\n\nnext paragraph"})
    status, _, issue = j.call("GET", "/rest/api/2/issue/VUL-1")
    eq(status, 200, "status")
    eq((issue["id"], issue["key"], issue["self"]), ("10001", "VUL-1", f"{j.base}/rest/api/2/issue/10001"), "ids")
    f = issue["fields"]
    eq(f["summary"], "CVE-2024-0001 in libfoo", "summary")
    eq(f["description"], "first line\nsecond line\n\nnext paragraph", "v2 description")
    eq(f["labels"], ["vigil"], "labels")
    eq(f["status"]["name"], "To Do", "status")
    eq(f["status"]["statusCategory"]["key"], "new", "category")
    eq(f["issuetype"]["name"], "Bug", "issuetype")
    eq(f["project"]["key"], "VUL", "project")
    eq(f["comment"], {"comments": [], "self": f"{j.base}/rest/api/2/issue/10001/comment",
                      "maxResults": 0, "total": 0, "startAt": 0}, "comment")
    check(TIME_RE.match(f["created"]), f["created"])
    eq(f["resolution"], None, "resolution")
    # the same issue by id, lower-case key, through v3 (ADF), and with ?fields=
    eq(j.call("GET", "/rest/api/2/issue/10001")[2]["key"], "VUL-1", "by id")
    eq(j.call("GET", "/rest/api/2/issue/vul-1")[2]["key"], "VUL-1", "lower-case key")
    v3 = j.call("GET", "/rest/api/3/issue/VUL-1")[2]
    eq(v3["self"], f"{j.base}/rest/api/3/issue/10001", "v3 self")
    eq(v3["fields"]["description"], adf(
        {"type": "paragraph", "content": [{"type": "text", "text": "first line"}, {"type": "hardBreak"},
                                          {"type": "text", "text": "second line"}]},
        para("next paragraph")), "v3 description (wiki text wrapped as ADF)")
    some = j.call("GET", "/rest/api/2/issue/VUL-1?fields=summary,labels,nosuchfield")[2]
    eq(set(some["fields"]), {"summary", "labels"}, "fields filter")
    minus = j.call("GET", "/rest/api/2/issue/VUL-1?fields=*all,-comment")[2]
    check("comment" not in minus["fields"] and "status" in minus["fields"], "exclusion")


@test
def get_issue_adf_read_as_wiki(j):
    j.create({"description": RICH_ADF}, version=3)
    status, _, issue = j.call("GET", "/rest/api/2/issue/VUL-1?fields=description")
    eq(status, 200, "status")
    wiki = issue["fields"]["description"]
    for piece in ("h2. Finding", "*libfoo*", "[advisory|https://nvd.nist.gov/x]", "{{ fn()}}", "* CVSS 9.8",
                  "*# nested", "{code:text}\npkg:npm/libfoo@1.2.3\n{code}", "----", "||CVE||Severity||",
                  "|CVE-2024-0001|critical|"):
        check(piece in wiki, f"{piece!r} not in {wiki!r}")
    eq(j.call("GET", "/rest/api/3/issue/VUL-1")[2]["fields"]["description"], RICH_ADF, "v3 round trip")


@test
def get_unknown_issue_404(j):
    for path in ("/rest/api/2/issue/VUL-99", "/rest/api/3/issue/99999", "/rest/api/2/issue/VUL-99/transitions",
                 "/rest/api/3/issue/VUL-99/comment"):
        status, _, body = j.call("GET", path)
        eq(status, 404, path)
        eq(body, {"errorMessages": ["Issue does not exist or you do not have permission to see it."],
                  "errors": {}}, path)
    eq(j.call("PUT", "/rest/api/2/issue/VUL-99", {"fields": {"summary": "x"}})[0], 404, "PUT")
    eq(j.state()["violations"], [], "404s are no violations")


# ----------------------------------------------------------------- edit issue
@test
def edit_issue(j):
    j.create({"labels": ["old", "keep"]})
    status, hdrs, body = j.call("PUT", "/rest/api/2/issue/VUL-1", {"fields": {"summary": "new summary",
                                                                              "description": "new text"}})
    eq((status, body), (204, None), "fields")
    status, _, body = j.call("PUT", "/rest/api/3/issue/VUL-1", {"update": {
        "labels": [{"add": "added"}, {"remove": "old"}], "description": [{"set": adf(para("adf text"))}]}})
    eq((status, body), (204, None), "update")
    issue = j.state()["issues"][0]
    eq(issue["summary"], "new summary", "summary")
    eq(issue["labels"], ["added", "keep"], "labels")
    eq((issue["description"], issue["descriptionFormat"]), (adf(para("adf text")), "adf"), "description")
    eq(issue["edits"], 2, "edits")
    eq(j.call("PUT", "/rest/api/2/issue/VUL-1", {"update": {"summary": [{"set": "via set"}]}})[0], 204, "set")
    eq(j.call("PUT", "/rest/api/2/issue/10001", {"fields": {"labels": []}})[0], 204, "clear labels by id")
    issue = j.state()["issues"][0]
    eq((issue["summary"], issue["labels"]), ("via set", []), "after set/clear")
    status, _, full = j.call("PUT", "/rest/api/2/issue/VUL-1?returnIssue=true", {"fields": {"labels": ["z"]}})
    eq((status, full["fields"]["labels"]), (200, ["z"]), "returnIssue")


@test
def edit_issue_errors(j):
    j.create()
    cases = [
        (2, {"fields": {"summary": "a\r\nb"}}, "summary", "newline"),
        (2, {"fields": {"status": {"name": "Done"}}}, "status", "cannot be set"),
        (2, {"fields": {"project": {"key": "VUL"}}}, "project", "cannot be set"),
        (3, {"fields": {"description": "wiki"}}, "description", "Atlassian Document"),
        (2, {"update": {"labels": [{"add": "has space"}]}}, "labels", "spaces"),
        (2, {"update": {"labels": [{"edit": "x"}]}}, "labels", "not supported"),
        (2, {"update": {"labels": {"add": "x"}}}, "labels", "array"),
        (2, {"update": {"priority": [{"set": {"name": "High"}}]}}, "priority", "cannot be set"),
        (2, {"fields": {"labels": ["a"]}, "update": {"labels": [{"add": "b"}]}}, "labels", "both"),
    ]
    for version, body, key, message in cases:
        status, _, resp = j.call("PUT", f"/rest/api/{version}/issue/VUL-1", body)
        eq(status, 400, body)
        check(message in resp["errors"].get(key, ""), f"{body}: {resp}")
    status, _, resp = j.call("PUT", "/rest/api/3/issue/VUL-1", {"fields": {"description": adf(
        {"type": "paragraph", "content": [{"type": "text"}]})}})
    eq((status, resp["errorMessages"]), (400, ["INVALID_INPUT"]), "invalid ADF on edit")
    issue = j.state()["issues"][0]
    eq((issue["summary"], issue["labels"], issue["edits"]), ("CVE-2024-0001 in libfoo", [], 0), "unchanged")
    eq(len(j.state()["violations"]), len(cases) + 1, "violations")


# ---------------------------------------------------------------- transitions
def transition_ids(j, key, version=2):
    status, _, body = j.call("GET", f"/rest/api/{version}/issue/{key}/transitions")
    eq(status, 200, "GET transitions")
    eq(body["expand"], "transitions", "expand")
    return [(t["id"], t["name"], t["to"]["name"], t["to"]["statusCategory"]["key"]) for t in body["transitions"]]


@test
def transitions_workflow(j):
    j.create()
    eq(transition_ids(j, "VUL-1"), [("21", "In Progress", "In Progress", "indeterminate"),
                                    ("31", "Done", "Done", "done")], "from To Do")
    eq(j.call("POST", "/rest/api/2/issue/VUL-1/transitions", {"transition": {"id": "31"}})[:3:2], (204, None), "31")
    f = j.call("GET", "/rest/api/3/issue/VUL-1?fields=status,resolution")[2]["fields"]
    eq((f["status"]["name"], f["status"]["statusCategory"]["key"], f["resolution"]["name"]),
       ("Done", "done", "Done"), "done")
    eq([t[0] for t in transition_ids(j, "VUL-1", 3)], ["11", "21"], "from Done")
    eq(j.call("POST", "/rest/api/3/issue/VUL-1/transitions", {"transition": {"id": "11"}})[0], 204, "reopen")
    f = j.call("GET", "/rest/api/2/issue/VUL-1?fields=status,resolution")[2]["fields"]
    eq((f["status"]["name"], f["resolution"]), ("To Do", None), "reopened")
    eq(j.call("POST", "/rest/api/2/issue/VUL-1/transitions", {"transition": {"id": 21}})[0], 204, "numeric id")
    history = j.state()["issues"][0]["transitions"]
    eq([(h["id"], h["from"], h["to"]) for h in history],
       [("31", "To Do", "Done"), ("11", "Done", "To Do"), ("21", "To Do", "In Progress")], "history")
    check(all(TIME_RE.match(h["at"]) for h in history), "timestamps")


@test
def transitions_errors(j):
    j.create()
    status, _, body = j.call("POST", "/rest/api/2/issue/VUL-1/transitions", {"transition": {"id": "99"}})
    eq((status, body), (400, {"errorMessages": ["Transition id '99' is not valid for this issue."],
                              "errors": {}}), "unknown id")
    status, _, body = j.call("POST", "/rest/api/2/issue/VUL-1/transitions", {"transition": {"id": "11"}})
    eq((status, body["errorMessages"]), (400, ["Transition id '11' is not valid for this issue."]), "to itself")
    status, _, body = j.call("POST", "/rest/api/2/issue/VUL-1/transitions", {"transition": {"name": "Done"}})
    eq((status, body["errorMessages"]), (400, ["Missing 'transition' identifier"]), "by name")
    status, _, body = j.call("POST", "/rest/api/2/issue/VUL-1/transitions", {
        "transition": {"id": "21"}, "fields": {"resolution": {"name": "Done"}}})
    eq(status, 400, "resolution on a screenless transition")
    check("cannot be set" in body["errors"]["resolution"], body)
    eq(j.state()["issues"][0]["status"], "To Do", "unchanged")
    eq(len(j.state()["violations"]), 4, "violations")


@test
def transition_with_fields_and_comment(j):
    j.create()
    expanded = j.call("GET", "/rest/api/2/issue/VUL-1/transitions?expand=transitions.fields")[2]["transitions"]
    done = [t for t in expanded if t["id"] == "31"][0]
    check(done["hasScreen"] and "resolution" in done["fields"], done)
    eq(j.call("GET", "/rest/api/2/issue/VUL-1/transitions?transitionId=21")[2]["transitions"][0]["id"], "21",
       "transitionId filter")
    status, _, body = j.call("POST", "/rest/api/3/issue/VUL-1/transitions", {
        "transition": {"id": "31"}, "fields": {"resolution": {"name": "Won't Do"}},
        "update": {"comment": [{"add": {"body": adf(para("accepted risk"))}}]}})
    eq((status, body), (204, None), body)
    issue = j.state()["issues"][0]
    eq((issue["status"], issue["resolution"]), ("Done", "Won't Do"), "resolution")
    eq(issue["comments"][0]["body"], adf(para("accepted risk")), "comment")


# ------------------------------------------------------------------- comments
@test
def comments(j):
    j.create()
    status, _, c = j.call("POST", "/rest/api/2/issue/VUL-1/comment", {"body": "Rescanned: *still* present"})
    eq(status, 201, c)
    eq((c["id"], c["self"]), ("10000", f"{j.base}/rest/api/2/issue/10001/comment/10000"), "ids")
    eq(c["body"], "Rescanned: *still* present", "body")
    check(TIME_RE.match(c["created"]), c["created"])
    eq(c["author"]["emailAddress"], USER, "author")
    check(c["author"]["accountId"], "accountId")
    status, _, c2 = j.call("POST", "/rest/api/3/issue/VUL-1/comment", {"body": adf(para("Fixed in ", "1.2.4"))})
    eq((status, c2["id"], c2["body"]), (201, "10001", adf(para("Fixed in ", "1.2.4"))), "v3 comment")
    status, _, page = j.call("GET", "/rest/api/2/issue/VUL-1/comment")
    eq((status, page["startAt"], page["total"]), (200, 0, 2), "page")
    check(page["maxResults"] >= 2, page["maxResults"])
    eq([x["body"] for x in page["comments"]], ["Rescanned: *still* present", "Fixed in 1.2.4"], "v2 bodies")
    v3 = j.call("GET", "/rest/api/3/issue/VUL-1/comment?startAt=1&maxResults=1")[2]
    eq((v3["startAt"], v3["maxResults"], v3["total"]), (1, 1, 2), "paging")
    eq(v3["comments"][0]["body"], adf(para("Fixed in ", "1.2.4")), "v3 body")
    eq(v3["comments"][0]["body"]["type"], "doc", "v3 body is ADF")
    issue = j.call("GET", "/rest/api/3/issue/VUL-1?fields=comment")[2]
    eq(issue["fields"]["comment"]["total"], 2, "comment field")
    eq(issue["fields"]["comment"]["comments"][0]["body"], adf(para("Rescanned: *still* present")), "v2 as ADF")
    eq([c["bodyFormat"] for c in j.state()["issues"][0]["comments"]], ["wiki", "adf"], "state formats")


@test
def comment_errors(j):
    j.create()
    cases = [(2, {"body": ""}, "can not be empty"), (2, {}, "can not be empty"), (2, {"body": 5}, "string"),
             (2, {"body": adf(para("x"))}, "string"), (3, {"body": "plain"}, "Atlassian Document"),
             (3, {"body": adf()}, "can not be empty")]
    for version, body, message in cases:
        status, _, resp = j.call("POST", f"/rest/api/{version}/issue/VUL-1/comment", body)
        eq(status, 400, body)
        check(message in resp["errors"].get("comment", ""), f"{body}: {resp}")
    status, _, resp = j.call("POST", "/rest/api/3/issue/VUL-1/comment",
                             {"body": adf({"type": "heading", "attrs": {"level": 0}})})
    eq((status, resp["errorMessages"]), (400, ["INVALID_INPUT"]), "bad ADF")
    eq(j.call("POST", "/rest/api/2/issue/VUL-1/comment", {"body": "x", "author": "me"})[0], 400, "unknown key")
    eq(j.state()["issues"][0]["comments"], [], "none added")


# --------------------------------------------------------------------- search
def seed_search(j):
    j.create({"labels": ["x", "vigil"], "summary": "OpenSSL heap overflow"})        # VUL-1
    j.create({"labels": ["a"], "issuetype": {"name": "Task"}})                         # VUL-2
    j.create({"labels": ["b", "x"], "summary": "libpng", "description": adf(para("memory bug"))}, version=3)
    j.create({})                                                                       # VUL-4, no labels
    j.call("POST", "/rest/api/2/issue/VUL-2/transitions", {"transition": {"id": "31"}})


def legacy(j, jql, version=2, **params):
    status, _, body = j.call("GET", f"/rest/api/{version}/search?" + q(jql, **params))
    eq(status, 200, f"{jql}: {body}")
    return body


def keys(body):
    return [i["key"] for i in body["issues"]]


@test
def search_legacy_queries(j):
    seed_search(j)
    cases = {
        'project = VUL AND labels = "x"': ["VUL-3", "VUL-1"],
        "labels = x": ["VUL-3", "VUL-1"],
        "labels in (a, b)": ["VUL-3", "VUL-2"],
        "key = VUL-1": ["VUL-1"],
        "project = vul and LABELS = 'x' And key = VUL-3": ["VUL-3"],
        "labels IN (\"a\",x) order by key asc": ["VUL-1", "VUL-2", "VUL-3"],
        "issuekey in (VUL-1, 10004)": ["VUL-4", "VUL-1"],
        "labels is EMPTY": ["VUL-4"],
        "labels != x": ["VUL-2"],
        "labels not in (x) or labels is empty": ["VUL-4", "VUL-2"],
        "not labels = x and project = VUL": ["VUL-4", "VUL-2"],
        "(labels = a OR labels = b) AND status = Done": ["VUL-2"],
        "status = 'To Do' and issuetype = Bug": ["VUL-4", "VUL-3", "VUL-1"],
        "statusCategory = done": ["VUL-2"],
        "resolution = Unresolved AND type = Bug ORDER BY created ASC": ["VUL-1", "VUL-3", "VUL-4"],
        "summary ~ openssl": ["VUL-1"],
        'text ~ "memory"': ["VUL-3"],
        "labels = x && labels = vigil": ["VUL-1"],
        "": ["VUL-4", "VUL-3", "VUL-2", "VUL-1"],
    }
    for jql, expected in cases.items():
        body = legacy(j, jql)
        eq(keys(body), expected, jql)
        eq((body["startAt"], body["maxResults"], body["total"]), (0, 50, len(expected)), f"paging {jql}")
    body = legacy(j, "labels = x", version=3, fields="summary,labels", startAt=1, maxResults=1)
    eq((keys(body), body["startAt"], body["maxResults"], body["total"]), (["VUL-1"], 1, 1, 2), "paging")
    eq(set(body["issues"][0]["fields"]), {"summary", "labels"}, "fields")
    eq(body["issues"][0]["self"], f"{j.base}/rest/api/3/issue/10001", "self")
    default = legacy(j, "key = VUL-3")["issues"][0]["fields"]
    check("summary" in default and "status" in default and "comment" not in default, "default *navigable")
    eq(default["description"], "memory bug", "v2 search renders ADF as wiki")
    status, _, body = j.call("POST", "/rest/api/2/search", {"jql": "labels = x", "fields": ["labels"],
                                                            "maxResults": 1})
    eq((status, keys(body), body["total"], body["maxResults"]), (200, ["VUL-3"], 2, 1), "POST")


@test
def search_jql_enhanced(j):
    seed_search(j)
    status, _, body = j.call("GET", "/rest/api/3/search/jql?" + q("project = VUL AND labels = x",
                                                                   fields="summary,labels,status"))
    eq(status, 200, body)
    eq(set(body), {"issues", "isLast"}, "keys")
    eq((keys(body), body["isLast"]), (["VUL-3", "VUL-1"], True), "result")
    eq(body["issues"][0]["fields"]["status"]["name"], "To Do", "fields")
    bare = j.call("GET", "/rest/api/3/search/jql?" + q("labels = x"))[2]
    eq(bare["issues"], [{"id": "10003"}, {"id": "10001"}], "ids only without fields")
    status, _, body = j.call("POST", "/rest/api/3/search/jql", {"jql": "labels in (a, b)", "fields": ["key"]})
    eq((status, keys(body)), (200, ["VUL-3", "VUL-2"]), "POST")
    # paging with nextPageToken
    page1 = j.call("POST", "/rest/api/3/search/jql", {"jql": "project = VUL ORDER BY key ASC",
                                                      "fields": ["summary"], "maxResults": 3})[2]
    eq((keys(page1), page1["isLast"]), (["VUL-1", "VUL-2", "VUL-3"], False), "page 1")
    page2 = j.call("POST", "/rest/api/3/search/jql", {"jql": "project = VUL ORDER BY key ASC", "fields": ["summary"],
                                                      "maxResults": 3, "nextPageToken": page1["nextPageToken"]})[2]
    eq((keys(page2), page2["isLast"], "nextPageToken" in page2), (["VUL-4"], True, False), "page 2")
    eq(keys(j.call("GET", "/rest/api/2/search/jql?" + q("key = VUL-2", fields="summary"))[2]), ["VUL-2"], "v2 path")
    status, _, body = j.call("GET", "/rest/api/3/search/jql?" + q(""))
    eq(status, 400, "unbounded")
    check("Unbounded" in body["errorMessages"][0], body)
    eq(j.call("GET", "/rest/api/3/search/jql?" + q("ORDER BY key"))[0], 400, "only ORDER BY")


@test
def search_jql_errors(j):
    seed_search(j)
    cases = {
        "labels = ": "Error in the JQL Query: Expecting either a value, list or function",
        "labels x": "Error in the JQL Query: Expecting operator but got 'x'",
        "labels in (a, b": "Error in the JQL Query: Expecting ')'",
        'labels = "open': "Error in the JQL Query: The quoted string",
        "labels = x y": "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'y'",
        "labels = foo.bar": "Error in the JQL Query: The character '.' is a reserved JQL character",
        "labels = and": "Error in the JQL Query: 'and' is a reserved JQL word",
        "assignee = bob": "Error in the JQL Query: The field 'assignee' exists in Jira but is not supported",
        "assignee = currentUser()": "Error in the JQL Query: The function 'currentUser' is not supported",
        "labels was x": "Error in the JQL Query: The 'WAS' operator is not supported",
        "labels = f(x)": "Error in the JQL Query: The function 'f' is not supported",
        "flavour = x": "Field 'flavour' does not exist or you do not have permission to view it.",
        "project = NOPE": "The value 'NOPE' does not exist for the field 'project'.",
        "status = Closed": "The value 'Closed' does not exist for the field 'status'.",
        "key = VUL-99": "An issue with key 'VUL-99' does not exist for field 'key'.",
        "key = banana": "The issue key 'banana' for field 'key' is invalid.",
        "labels ~ x": "The operator '~' is not supported by the 'labels' field.",
        "summary = x": "The operator '=' is not supported by the 'summary' field.",
        "labels = x ORDER BY flavour": "Not able to sort using field 'flavour'.",
    }
    for jql, message in cases.items():
        for method, version in (("GET", 2), ("POST", 3)):
            if method == "GET":
                status, _, body = j.call("GET", f"/rest/api/{version}/search?" + q(jql))
            else:
                status, _, body = j.call("POST", f"/rest/api/{version}/search/jql", {"jql": jql})
            eq(status, 400, f"{method} {jql}")
            eq(body["errors"], {}, jql)
            check(body["errorMessages"][0].startswith(message), f"{jql}: {body['errorMessages']}")
    eq(j.call("POST", "/rest/api/3/search/jql", {"jql": "labels = x", "fields": "summary"})[0], 400, "fields str")
    eq(j.call("POST", "/rest/api/3/search/jql", {"jql": "labels = x", "startAt": 0})[0], 400, "startAt on jql")
    eq(j.call("GET", "/rest/api/2/search?" + q("labels = x", maxResults="many"))[0], 400, "bad maxResults")
    violations = j.state()["violations"]
    eq(len(violations), 2 * len(cases) + 3, "each refusal is a violation")
    check(any("labels = foo.bar" in v for v in violations), "JQL quoted in violation")


# ---------------------------------------------------------- faults and limits
@test
def rate_limit_runtime(j):
    eq(j.control("POST", "rate-limit", {"every": 3})[0], 200, "set")
    eq(j.call("GET", "/rest/api/2/issue/VUL-1")[0], 404, "request 1")
    eq(j.call("GET", "/rest/api/2/issue/VUL-1", auth=None)[0], 401, "request 2 (401 counts too)")
    status, hdrs, body = j.call("POST", "/rest/api/2/issue", {"fields": {
        "project": {"key": "VUL"}, "issuetype": {"name": "Bug"}, "summary": "throttled"}})
    eq(status, 429, "request 3")
    eq(body, {"errorMessages": ["Rate limit exceeded."], "errors": {}}, "body")
    eq(hdrs.get("Retry-After"), "1", "Retry-After")
    eq(hdrs.get("X-RateLimit-Remaining"), "0", "Remaining")
    check(hdrs.get("X-RateLimit-Limit"), "Limit")
    check(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\dZ$", hdrs.get("X-RateLimit-Reset", "")), hdrs.get("X-RateLimit-Reset"))
    eq(j.state()["issues"], [], "the 429'd create was not performed")
    j.create()  # 4
    eq(j.call("GET", "/rest/api/2/issue/VUL-1")[0], 200, "request 5")
    eq(j.call("GET", "/rest/api/2/issue/VUL-1")[0], 429, "request 6")
    eq(j.control("POST", "rate-limit", {"every": 0})[0], 200, "off")
    eq([j.call("GET", "/rest/api/2/issue/VUL-1")[0] for _ in range(4)], [200] * 4, "off")
    eq(j.state()["violations"], [], "429s are no violations")
    eq(j.control("POST", "rate-limit", {"every": -1})[0], 400, "bad value")


@test
def fail_injection(j):
    j.create()
    status, _, body = j.control("POST", "fail", {"status": 503, "count": 2})
    eq(status, 200, body)
    for n in (1, 2):
        status, hdrs, body = j.call("GET", "/rest/api/2/issue/VUL-1", auth=None)  # before auth
        eq(status, 503, f"failure {n}")
        eq(body, {"errorMessages": ["Service Unavailable"], "errors": {}}, "Jira-like body")
    eq(j.call("GET", "/rest/api/2/issue/VUL-1")[0], 200, "then normal")
    j.control("POST", "fail", {"status": 500, "count": 1, "retryAfter": 2})
    j.control("POST", "fail", {"status": 429})
    status, hdrs, body = j.call("POST", "/rest/api/2/issue/VUL-1/comment", {"body": "x"})
    eq((status, hdrs.get("Retry-After")), (500, "2"), "queued 500 with Retry-After")
    status, hdrs, _ = j.call("GET", "/rest/api/2/issue/VUL-1")
    eq((status, hdrs.get("Retry-After")), (429, "1"), "injected 429 carries rate-limit headers")
    st = j.state()
    eq(st["issues"][0]["comments"], [], "failed request not performed")
    eq([r["status"] for r in st["requests"] if r.get("injected")], [503, 503, 500, 429], "marked injected")
    eq(st["violations"], [], "injected failures are no violations")
    eq(j.control("POST", "fail", {"status": 200})[0], 400, "status must be an error")
    eq(j.control("POST", "fail", {"status": 503, "count": 0})[0], 400, "count >= 1")


@test
def state_and_reset(j):
    j.create({"labels": ["s"]})
    j.call("POST", "/rest/api/3/issue/VUL-1/comment", {"body": adf(para("c"))})
    j.call("POST", "/rest/api/2/issue/VUL-1/transitions", {"transition": {"id": "21"}})
    j.call("GET", "/rest/api/2/issue/VUL-1", accept=None)
    st = j.state()
    eq(set(st) >= {"issues", "requests", "violations"}, True, f"keys {set(st)}")
    issue = st["issues"][0]
    for key in ("id", "key", "summary", "description", "labels", "status", "comments", "transitions", "issuetype"):
        check(key in issue, f"issue.{key}")
    eq((issue["status"], issue["labels"], issue["comments"][0]["body"]), ("In Progress", ["s"], adf(para("c"))),
       "values")
    eq(issue["transitions"][0]["to"], "In Progress", "history")
    eq([(r["method"], r["path"], r["status"]) for r in st["requests"]],
       [("POST", "/rest/api/2/issue", 201), ("POST", "/rest/api/3/issue/VUL-1/comment", 201),
        ("POST", "/rest/api/2/issue/VUL-1/transitions", 204), ("GET", "/rest/api/2/issue/VUL-1", 406)], "requests")
    eq(len(st["violations"]), 1, "violations")
    check(st["violations"][0].startswith("GET /rest/api/2/issue/VUL-1 -> 406"), st["violations"][0])
    eq(j.control("POST", "reset")[0], 200, "reset")
    st = j.state()
    eq((st["issues"], st["requests"], st["violations"]), ([], [], []), "empty")
    eq(j.create()["key"], "VUL-1", "numbering restarts")
    eq(j.control("GET", "nothing")[0], 404, "unknown control endpoint")


@test
def keep_alive_and_chunked_bodies(j):
    conn = http.client.HTTPConnection("127.0.0.1", j.port, timeout=10)
    auth = "Basic " + base64.b64encode(f"{USER}:{TOKEN}".encode()).decode()
    hdrs = {"Authorization": auth, "Accept": "application/json", "Content-Type": "application/json"}
    body = json.dumps({"fields": {"project": {"key": "VUL"}, "issuetype": {"name": "Bug"}, "summary": "chunked"}})
    conn.request("POST", "/rest/api/2/issue", body=iter([body[:10].encode(), body[10:].encode()]),
                 headers=hdrs, encode_chunked=True)
    resp = conn.getresponse()
    eq((resp.status, json.loads(resp.read())["key"]), (201, "VUL-1"), "chunked create")
    conn.request("PUT", "/rest/api/2/issue/VUL-1", body=json.dumps({"fields": {"labels": ["k"]}}), headers=hdrs)
    resp = conn.getresponse()
    eq((resp.status, resp.read()), (204, b""), "204 on the same connection")
    conn.request("GET", "/rest/api/2/issue/VUL-1?fields=labels", headers=hdrs)
    resp = conn.getresponse()
    eq((resp.status, json.loads(resp.read())["fields"]["labels"]), (200, ["k"]), "third request, same connection")
    conn.close()


@test
def concurrent_creates_get_distinct_sequential_ids(j):
    results = []

    def worker():
        results.append(j.create())

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    eq(sorted(int(r["id"]) for r in results), list(range(10001, 10021)), "ids")
    eq(sorted(r["key"] for r in results), sorted(f"VUL-{n}" for n in range(1, 21)), "keys")
    eq(len(j.state()["requests"]), 20, "all logged")


# ---------------------------------------------------------- other instances
@test
def cli_project_and_rate_limit(j, tmpdir):
    other = Fake(tmpdir, "--project", "SEC", "--rate-limit-every", "2")
    try:
        status, _, body = other.call("POST", "/rest/api/2/issue", {"fields": {
            "project": {"key": "SEC"}, "issuetype": {"name": "Bug"}, "summary": "x"}})
        eq((status, body["key"]), (201, "SEC-1"), "project key")
        eq(other.call("GET", "/rest/api/2/issue/SEC-1")[0], 429, "every 2nd")
        eq(other.call("GET", "/rest/api/2/issue/SEC-1")[0], 200, "3rd")
        eq(other.call("GET", "/rest/api/2/search?" + q("project = VUL"))[0], 429, "4th")
        eq(other.call("GET", "/rest/api/2/search?" + q("project = VUL"))[0], 400, "VUL unknown there")
        other.control("POST", "reset")
        eq(other.state()["rateLimitEvery"], 2, "reset keeps the command-line rate limit")
    finally:
        eq(other.stop(), 0, "exit status")


@test
def legacy_search_gone(j, tmpdir):
    other = Fake(tmpdir, "--legacy-search", "gone")
    try:
        status, _, body = other.call("GET", "/rest/api/2/search?" + q("labels = x"))
        eq(status, 410, "legacy GET")
        check("/rest/api/3/search/jql" in body["errorMessages"][0], body)
        eq(other.call("POST", "/rest/api/3/search", {"jql": "labels = x"})[0], 410, "legacy POST")
        eq(other.call("GET", "/rest/api/3/search/jql?" + q("labels = x"))[0], 200, "enhanced still works")
        eq(len(other.state()["violations"]), 2, "410s are violations")
    finally:
        other.stop()


@test
def sigterm_exits_zero(j, tmpdir):
    other = Fake(tmpdir)
    start = time.monotonic()
    eq(other.stop(), 0, "exit status")
    check(time.monotonic() - start < 10, "prompt exit (a loaded machine is slow to start Python)")


def main(argv):
    wanted = argv[1:]
    failures = 0
    with tempfile.TemporaryDirectory(prefix="fake-jira-selftest-") as tmpdir:
        fake = Fake(tmpdir)
        try:
            for fn in TESTS:
                if wanted and not any(w in fn.__name__ for w in wanted):
                    continue
                fake.control("POST", "reset")
                fake.control("POST", "rate-limit", {"every": 0})
                try:
                    if fn.__code__.co_argcount == 2:
                        fn(fake, tmpdir)
                    else:
                        fn(fake)
                    print(f"ok {fn.__name__}", flush=True)
                except Exception:
                    failures += 1
                    print(f"FAIL {fn.__name__}", flush=True)
                    traceback.print_exc(file=sys.stdout)
        finally:
            rc = fake.stop()
            stderr = fake.proc.stderr.read()
            if rc != 0 or stderr.strip():
                failures += 1
                print(f"FAIL fake_jira exited {rc}; stderr:\n{stderr}")
    print(f"{'FAILED' if failures else 'passed'}: {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

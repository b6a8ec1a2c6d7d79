#!/usr/bin/env python3
"""Fake Jira Cloud REST API (v2 and v3) for vigil's integration tests.

Usage:
  python3 tests/notify/fake_jira.py --port 0 --user vigil@example-ca.net --token TOKEN
      [--project VUL] [--ready-file PATH] [--rate-limit-every N]
      [--legacy-search ok|gone] [-v]

ThreadingHTTPServer on 127.0.0.1 speaking HTTP/1.1 (keep-alive, Expect:
100-continue and chunked request bodies handled). Once listening it writes the
port to --ready-file (write + rename) and prints it on stdout (flushed). Runs
until SIGTERM/SIGINT, then exits 0.

What is faked: one project (key --project, id 10000) with issue types Bug,
Task and Vulnerability and the workflow To Do -> In Progress -> Done
(transitions 11 "To Do", 21 "In Progress", 31 "Done", each available from any
other status). Under both /rest/api/2/ and /rest/api/3/:
  POST issue                    GET/PUT issue/{idOrKey}
  GET/POST issue/{idOrKey}/transitions
  GET/POST issue/{idOrKey}/comment
  GET/POST search               (legacy; --legacy-search gone answers 410)
  GET/POST search/jql           (enhanced search, nextPageToken paging)
v2 text fields (description, comment body) are wiki-markup strings; v3 text
fields are Atlassian Document Format (ADF) documents, validated node by node.
A text written through one version is read back converted for the other.
JQL: clauses on project, labels, key/issuekey/id, status, statusCategory,
issuetype/type, resolution (=, !=, IN, NOT IN, IS [NOT] EMPTY) and
summary/description/text (~, !~), combined with AND/OR/NOT and parentheses,
optional ORDER BY; keywords are case-insensitive, values may be quoted.

Every request must authenticate with HTTP Basic user:token (else 401) and send
"Accept: application/json" (else 406); bodies need Content-Type
application/json (else 415). Refusals use Jira's error body
{"errorMessages": [...], "errors": {field: message}} with the texts Jira Cloud
is seen to answer in public bug reports.

Deliberately stricter or simpler than Jira Cloud: a missing Accept or "*/*"
is refused (Jira would answer JSON anyway); only the ADF nodes listed in NODES
are accepted; wiki markup is not parsed when v3 reads v2-written text (it is
wrapped as paragraphs); the legacy /search still works unless --legacy-search
gone (Jira Cloud answers 410 since 2025); a search without ORDER BY returns the
newest issue first; only the Done transition has a screen (Resolution).

Control endpoints (no auth, not counted as API requests):
  GET  /_fake/state        {"project", "issues", "requests", "violations", ...}
  POST /_fake/fail         {"status": 503, "count": 2, "retryAfter": 1?}
  POST /_fake/stall        {"seconds": 5, "count": 1}: the next requests are done, then
                           answered only after that long (a client killed meanwhile is in doubt)
                           -> the next `count` API requests answer `status`
  POST /_fake/rate-limit   {"every": N}  (0 = off; restarts the count)
  POST /_fake/reset        back to the start state (ids from 10001 again)
"violations" lists every API request refused with a 4xx other than 401, 404
and 429 (injected failures excluded), saying what was wrong with it.
--rate-limit-every N: every Nth API request (counting all of them, from start
or the last change) answers 429 with Retry-After: 1, X-RateLimit-Limit,
X-RateLimit-Remaining: 0, X-RateLimit-Reset, without being performed.

Documentation followed (shapes learned from, not copied):
  https://developer.atlassian.com/cloud/jira/platform/rest/v2/ and .../rest/v3/
    (groups: Issues, Issue comments, Issue search, Workflow transitions)
  https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
    and the ADF node/mark pages (doc, paragraph, text, heading, lists, ...)
  https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
  https://developer.atlassian.com/changelog/#CHANGE-2046 (legacy search removal)
  https://support.atlassian.com/jira-software-cloud/docs/use-advanced-search-with-jira-query-language-jql/
"""

import argparse
import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import signal
import sys
import threading
import time
import traceback
from collections import deque
from datetime import datetime, timedelta, timezone
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

LISTEN_HOST = "127.0.0.1"
MAX_BODY = 10 * 1024 * 1024

# ----------------------------------------------------------------- the project
PROJECT_ID = "10000"
PROJECT_NAME = "Vigil Vulnerabilities"
FIRST_ISSUE_ID = 10001
FIRST_COMMENT_ID = 10000
ISSUE_TYPES = {"Bug": "10100", "Task": "10101", "Vulnerability": "10102"}  # name -> id
STATUS_CATEGORIES = {  # Jira's built-in categories
    "new": {"id": 2, "key": "new", "colorName": "blue-gray", "name": "To Do"},
    "indeterminate": {"id": 4, "key": "indeterminate", "colorName": "yellow", "name": "In Progress"},
    "done": {"id": 3, "key": "done", "colorName": "green", "name": "Done"},
}
STATUSES = {"To Do": ("10000", "new"), "In Progress": ("3", "indeterminate"), "Done": ("10001", "done")}
INITIAL_STATUS = "To Do"
TRANSITIONS = [("11", "To Do"), ("21", "In Progress"), ("31", "Done")]  # id, target status
SCREEN_TRANSITION = "31"  # the Done transition has a screen with Resolution
RESOLUTIONS = {"Done": "10000", "Won't Do": "10001", "Duplicate": "10002", "Cannot Reproduce": "10003"}
ALL_FIELDS = ["summary", "description", "labels", "status", "issuetype", "project", "resolution",
              "resolutiondate", "created", "updated", "reporter", "creator", "comment"]
NAVIGABLE_FIELDS = [f for f in ALL_FIELDS if f != "comment"]

# ------------------------------------------------------- texts Jira answers with
MSG_NOT_AUTHENTICATED = "You are not authenticated. Authentication required to perform this operation."
MSG_NO_ISSUE = "Issue does not exist or you do not have permission to see it."
MSG_CANNOT_SET = "Field '{}' cannot be set. It is not on the appropriate screen, or unknown."
MSG_PROJECT = "Specify a valid project ID or key"
MSG_ISSUETYPE_MISSING = "Specify an issue type"
MSG_ISSUETYPE_INVALID = "The issue type selected is invalid."
MSG_SUMMARY_MISSING = "You must specify a summary of the issue."
MSG_SUMMARY_NEWLINE = "The summary is invalid because it contains newline characters."
MSG_SUMMARY_LONG = "Summary can't exceed 255 characters."
MSG_NOT_STRING = "Operation value must be a string"
MSG_NOT_ARRAY = "data was not an array"
MSG_NOT_ADF = "Operation value must be an Atlassian Document (see the Atlassian Document Format)"
MSG_TOO_LONG = "The entered text is too long. It exceeds the allowed limit of 32,767 characters."
MSG_ADF_CREATE = ("We can't create this issue for you right now, it could be due to unsupported content "
                  "you've entered into one or more of the issue fields. If this situation persists, "
                  "contact your administrator as they'll be able to access more specific information "
                  "in the log file.")
MSG_ADF_INVALID = "INVALID_INPUT"
MSG_COMMENT_EMPTY = "Comment body can not be empty!"
MSG_TRANSITION_MISSING = "Missing 'transition' identifier"
MSG_TRANSITION_INVALID = "Transition id '{}' is not valid for this issue."
MSG_RATE_LIMITED = "Rate limit exceeded."
MSG_UNBOUNDED = "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."
MSG_SEARCH_GONE = ("The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
                   "A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046")
TEXT_LIMIT = 32767


def jira_time(dt=None):
    """Jira's timestamp format: 2026-01-31T12:34:56.789+0000."""
    dt = dt or datetime.now(timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}+0000"


def java_len(text):
    """Length as Java counts it (UTF-16 code units), which is what Jira limits."""
    return len(text.encode("utf-16-le")) // 2


class ApiError(Exception):
    """A refusal: status + Jira error body; detail says what was wrong (for violations)."""

    def __init__(self, status, messages=(), errors=None, detail=None, headers=None):
        super().__init__(detail or str(messages))
        self.status, self.messages, self.errors = status, list(messages), dict(errors or {})
        self.headers = dict(headers or {})
        self.detail = detail or "; ".join(self.messages + [f"errors.{k}: {v}" for k, v in self.errors.items()])

    def response(self):
        return Response(self.status, {"errorMessages": self.messages, "errors": self.errors}, self.headers)


class Response:
    def __init__(self, status, body=None, headers=None):
        self.status, self.body, self.headers = status, body, dict(headers or {})


# ================================================================== ADF checks
class AdfInvalid(Exception):
    def __init__(self, path, message):
        super().__init__(f"{path}: {message}")


def _int_in(lo, hi=None):
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= lo and (hi is None or v <= hi)


def _one_of(*values):
    return lambda v: isinstance(v, str) and v in values


def _is_str(v):
    return isinstance(v, str)


def _nonempty_str(v):
    return isinstance(v, str) and v != ""


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _hex_color(v):
    return isinstance(v, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", v) is not None


INLINE = {"text", "hardBreak", "inlineCard", "mention", "emoji", "date", "status"}
TOP_BLOCKS = {"paragraph", "heading", "bulletList", "orderedList", "codeBlock", "blockquote",
              "panel", "rule", "table"}
CELL_BLOCKS = TOP_BLOCKS - {"table"}
CELL_ATTRS = {"colspan": (False, _int_in(1)), "rowspan": (False, _int_in(1)), "background": (False, _is_str),
              "colwidth": (False, lambda v: isinstance(v, list) and all(_is_number(x) and x >= 0 for x in v))}
# node type -> (allowed child types or None for a leaf, minimum children, {attr: (required, check)})
NODES = {
    "paragraph": (INLINE, 0, {}),
    "heading": (INLINE, 0, {"level": (True, _int_in(1, 6))}),
    "bulletList": ({"listItem"}, 1, {}),
    "orderedList": ({"listItem"}, 1, {"order": (False, _int_in(0))}),
    "listItem": ({"paragraph", "bulletList", "orderedList", "codeBlock"}, 1, {}),
    "codeBlock": ({"text"}, 0, {"language": (False, _is_str)}),
    "blockquote": ({"paragraph", "bulletList", "orderedList", "codeBlock"}, 1, {}),
    "panel": ({"paragraph", "heading", "bulletList", "orderedList", "codeBlock", "rule"}, 1,
              {"panelType": (True, _one_of("info", "note", "tip", "warning", "error", "success"))}),
    "rule": (None, 0, {}),
    "table": ({"tableRow"}, 1, {"isNumberColumnEnabled": (False, lambda v: isinstance(v, bool)),
                                "layout": (False, _one_of("default", "center", "align-start", "wide",
                                                          "full-width")),
                                "width": (False, _is_number), "displayMode": (False, _one_of("default", "fixed"))}),
    "tableRow": ({"tableHeader", "tableCell"}, 1, {}),
    "tableHeader": (CELL_BLOCKS, 1, CELL_ATTRS),
    "tableCell": (CELL_BLOCKS, 1, CELL_ATTRS),
    "text": (None, 0, {}),
    "hardBreak": (None, 0, {"text": (False, _one_of("\n"))}),
    "inlineCard": (None, 0, {"url": (True, _nonempty_str)}),
    "mention": (None, 0, {"id": (True, _nonempty_str), "text": (False, _is_str), "accessLevel": (False, _is_str),
                          "userType": (False, _one_of("DEFAULT", "SPECIAL", "APP"))}),
    "emoji": (None, 0, {"shortName": (True, _nonempty_str), "id": (False, _is_str), "text": (False, _is_str)}),
    "date": (None, 0, {"timestamp": (True, _nonempty_str)}),
    "status": (None, 0, {"text": (True, _is_str), "style": (False, _is_str),
                         "color": (True, _one_of("neutral", "purple", "blue", "red", "yellow", "green"))}),
}
TEXT_MARKS = {
    "strong": {}, "em": {}, "strike": {}, "underline": {}, "code": {},
    "link": {"href": (True, _is_str), "title": (False, _is_str), "id": (False, _is_str),
             "collection": (False, _is_str), "occurrenceKey": (False, _is_str)},
    "subsup": {"type": (True, _one_of("sub", "sup"))},
    "textColor": {"color": (True, _hex_color)},
    "backgroundColor": {"color": (True, _hex_color)},
}
BLOCK_MARKS = {"alignment": {"align": (True, _one_of("center", "end"))},
               "indentation": {"level": (True, _int_in(1, 6))}}


def is_adf_doc(value):
    """Whether Jira would take value as an ADF document at all (before checking it)."""
    return isinstance(value, dict) and value.get("type") == "doc"


def validate_adf(doc):
    """Raise AdfInvalid(path, why) unless doc is a valid ADF document (the subset above)."""
    extra = set(doc) - {"type", "version", "content"}
    if extra:
        raise AdfInvalid("doc", f"unexpected property '{sorted(extra)[0]}'")
    if doc.get("version") != 1 or isinstance(doc.get("version"), bool):
        raise AdfInvalid("doc", f"version must be 1, not {json.dumps(doc.get('version'))}")
    content = doc.get("content")
    if not isinstance(content, list):
        raise AdfInvalid("doc", "content must be an array")
    for i, node in enumerate(content):
        _check_node(node, f"doc.content[{i}]", TOP_BLOCKS, "doc", top=True)


def _check_attrs(obj, what, spec, path):
    attrs = obj.get("attrs")
    if attrs is None:
        attrs = {}
    elif not isinstance(attrs, dict):
        raise AdfInvalid(path, f"attrs of '{what}' must be an object")
    for name, value in attrs.items():
        if name == "localId" and isinstance(value, str):
            continue
        if name not in spec:
            raise AdfInvalid(path, f"unknown attribute '{name}' on '{what}'")
        if not spec[name][1](value):
            raise AdfInvalid(path, f"invalid attrs.{name} on '{what}': {json.dumps(value)}")
    for name, (required, _) in spec.items():
        if required and name not in attrs:
            raise AdfInvalid(path, f"'{what}' requires attrs.{name}")


def _check_marks(node, path, table, in_code):
    marks = node.get("marks")
    if marks is None:
        return
    if not isinstance(marks, list):
        raise AdfInvalid(path, "marks must be an array")
    if in_code and marks:
        raise AdfInvalid(path, "text inside a codeBlock cannot have marks")
    seen = set()
    for j, mark in enumerate(marks):
        mpath = f"{path}.marks[{j}]"
        if not isinstance(mark, dict) or not isinstance(mark.get("type"), str):
            raise AdfInvalid(mpath, "a mark must be an object with a 'type'")
        mtype = mark["type"]
        if mtype not in table:
            raise AdfInvalid(mpath, f"mark '{mtype}' is not allowed on '{node.get('type')}' here")
        if mtype in seen:
            raise AdfInvalid(mpath, f"duplicate mark '{mtype}'")
        seen.add(mtype)
        if set(mark) - {"type", "attrs"}:
            raise AdfInvalid(mpath, f"unexpected property '{sorted(set(mark) - {'type', 'attrs'})[0]}'")
        _check_attrs(mark, mtype, table[mtype], mpath)
    if "code" in seen and seen - {"code", "link"}:
        raise AdfInvalid(path, "the code mark can only be combined with link")
    if {"alignment", "indentation"} <= seen:
        raise AdfInvalid(path, "alignment and indentation cannot be combined")


def _check_node(node, path, allowed, parent, top=False, in_code=False):
    if not isinstance(node, dict):
        raise AdfInvalid(path, "a node must be a JSON object")
    ntype = node.get("type")
    if not isinstance(ntype, str):
        raise AdfInvalid(path, "node has no 'type'")
    if ntype not in NODES:
        raise AdfInvalid(path, f"unknown or unsupported node type '{ntype}'")
    if ntype not in allowed:
        raise AdfInvalid(path, f"'{ntype}' is not allowed inside '{parent}'")
    children, minimum, attr_spec = NODES[ntype]
    keys = {"type", "attrs", "marks"} | ({"content"} if children is not None else set())
    keys |= {"text"} if ntype == "text" else set()
    if set(node) - keys:
        raise AdfInvalid(path, f"unexpected property '{sorted(set(node) - keys)[0]}' on '{ntype}'")
    _check_attrs(node, ntype, attr_spec, path)
    if ntype == "text":
        if not isinstance(node.get("text"), str) or node["text"] == "":
            raise AdfInvalid(path, "text nodes need a non-empty 'text' string")
        _check_marks(node, path, TEXT_MARKS, in_code)
    elif ntype in ("paragraph", "heading") and top:
        _check_marks(node, path, BLOCK_MARKS, False)
    elif "marks" in node:
        raise AdfInvalid(path, f"'{ntype}' cannot have marks here")
    if children is None:
        return
    content = node.get("content", [])
    if not isinstance(content, list):
        raise AdfInvalid(path, f"content of '{ntype}' must be an array")
    if len(content) < minimum:
        raise AdfInvalid(path, f"'{ntype}' needs at least {minimum} child node(s)")
    for i, child in enumerate(content):
        cpath = f"{path}.content[{i}]"
        if ntype == "listItem" and i == 0 and isinstance(child, dict) \
                and child.get("type") in ("bulletList", "orderedList"):
            raise AdfInvalid(cpath, "the first child of a listItem cannot be a list")
        _check_node(child, cpath, children, ntype, in_code=(ntype == "codeBlock"))


# ------------------------------------------------- ADF <-> wiki (v2/v3 bridging)
def adf_to_wiki(doc):
    """Render an ADF document as Jira wiki markup (what v2 shows for v3-written text)."""
    blocks = [_wiki_block(n, "") for n in doc.get("content", [])]
    return "\n\n".join(b for b in blocks if b)


def _wiki_inline(nodes):
    out = []
    for n in nodes or []:
        t, attrs = n.get("type"), n.get("attrs") or {}
        if t == "text":
            s, marks = n["text"], {m["type"]: m.get("attrs") or {} for m in n.get("marks", [])}
            if "code" in marks:
                s = "{{" + s + "}}"
            for mark, wrap in (("strong", "*"), ("em", "_"), ("strike", "-"), ("underline", "+")):
                if mark in marks:
                    s = wrap + s + wrap
            if "subsup" in marks:
                wrap = "~" if marks["subsup"].get("type") == "sub" else "^"
                s = wrap + s + wrap
            if "textColor" in marks:
                s = "{color:" + marks["textColor"].get("color", "") + "}" + s + "{color}"
            if "link" in marks:
                s = f"[{s}|{marks['link'].get('href', '')}]"
            out.append(s)
        elif t == "hardBreak":
            out.append("\n")
        elif t == "inlineCard":
            out.append(f"[{attrs.get('url', '')}]")
        elif t == "mention":
            out.append(f"[~accountid:{attrs.get('id', '')}]")
        elif t == "emoji":
            out.append(attrs.get("text") or attrs.get("shortName", ""))
        elif t in ("date", "status"):
            out.append(str(attrs.get("timestamp") or attrs.get("text") or ""))
    return "".join(out)


def _wiki_block(n, prefix):
    t, attrs = n.get("type"), n.get("attrs") or {}
    if t == "paragraph":
        return _wiki_inline(n.get("content"))
    if t == "heading":
        return f"h{attrs.get('level', 1)}. " + _wiki_inline(n.get("content"))
    if t in ("bulletList", "orderedList"):
        bullet = prefix + ("*" if t == "bulletList" else "#")
        lines = []
        for item in n.get("content", []):
            first = True
            for child in item.get("content", []):
                if child.get("type") in ("bulletList", "orderedList"):
                    lines.append(_wiki_block(child, bullet))
                elif first:
                    lines.append(f"{bullet} " + _wiki_block(child, bullet))
                    first = False
                else:
                    lines.append(_wiki_block(child, bullet))
        return "\n".join(lines)
    if t == "codeBlock":
        lang = attrs.get("language")
        body = "".join(c.get("text", "") for c in n.get("content", []))
        return ("{code:" + lang + "}" if lang else "{code}") + "\n" + body + "\n{code}"
    if t == "blockquote":
        return "{quote}\n" + "\n\n".join(_wiki_block(c, "") for c in n.get("content", [])) + "\n{quote}"
    if t == "panel":
        return "{panel}\n" + "\n\n".join(_wiki_block(c, "") for c in n.get("content", [])) + "\n{panel}"
    if t == "rule":
        return "----"
    if t == "table":
        rows = []
        for row in n.get("content", []):
            cells, last = [], "|"
            for cell in row.get("content", []):
                last = "||" if cell.get("type") == "tableHeader" else "|"
                cells.append(last + " ".join(_wiki_block(c, "") for c in cell.get("content", [])))
            rows.append("".join(cells) + last)
        return "\n".join(rows)
    return ""


def wiki_to_adf(text):
    """Wrap wiki/plain text as ADF (what v3 shows for v2-written text).

    Blank lines separate paragraphs and single newlines become hardBreaks; wiki
    markup itself is kept as literal text (real Jira converts it).
    """
    content = []
    for para in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip("\n")):
        inline = []
        for i, line in enumerate(para.split("\n")):
            if i:
                inline.append({"type": "hardBreak"})
            if line:
                inline.append({"type": "text", "text": line})
        if inline:
            content.append({"type": "paragraph", "content": inline})
    return {"type": "doc", "version": 1, "content": content}


# ======================================================================== JQL
class JqlError(Exception):
    """A JQL refusal; syntax errors get Jira's "Error in the JQL Query: " prefix."""

    def __init__(self, message, syntax=True):
        super().__init__(("Error in the JQL Query: " + message) if syntax else message)
        self.message = str(self)


JQL_KEYWORDS = {"AND", "OR", "NOT", "IN", "IS", "EMPTY", "NULL", "ORDER", "BY", "ASC", "DESC"}
JQL_RESERVED_CHARS = set("+.;?*/%^$#@[]")
JQL_RESERVED_WORDS = {  # a subset of Jira's list; unquoted, these are errors
    "abort", "access", "add", "after", "alias", "all", "alter", "and", "any", "as", "asc",
    "audit", "avg", "before", "begin", "between", "boolean", "break", "by", "byte", "catch", "cf",
    "char", "character", "check", "checkpoint", "collate", "collation", "column", "commit", "connect",
    "continue", "count", "create", "current", "date", "decimal", "declare", "decrement", "default",
    "defaults", "define", "delete", "delimiter", "desc", "difference", "distinct", "divide", "do",
    "double", "drop", "else", "empty", "encoding", "end", "equals", "escape", "exclusive", "exec",
    "execute", "exists", "explain", "false", "fetch", "file", "field", "first", "float", "for", "from",
    "function", "go", "goto", "grant", "greater", "group", "having", "identified", "if", "immediate",
    "in", "increment", "index", "initial", "inner", "inout", "input", "insert", "int", "integer",
    "intersect", "intersection", "into", "is", "isempty", "isnull", "join", "last", "left", "less",
    "like", "limit", "lock", "long", "max", "min", "minus", "mode", "modify", "modulo", "more",
    "multiply", "next", "noaudit", "not", "notin", "nowait", "null", "number", "object", "of", "on",
    "option", "or", "order", "outer", "output", "power", "previous", "prior", "privileges", "public",
    "raise", "raw", "remainder", "rename", "resource", "return", "returns", "revoke", "right", "row",
    "rowid", "rownum", "rows", "select", "session", "set", "share", "size", "sqrt", "start", "strict",
    "string", "subtract", "sum", "synonym", "table", "then", "to", "trans", "transaction", "trigger",
    "true", "uid", "union", "unique", "update", "user", "validate", "values", "view", "when",
    "whenever", "where", "while", "with",
}
VALID_OPERATORS = ("The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', "
                   "'IN', 'NOT IN', 'IS' and 'IS NOT'.")
EMPTY = "\0EMPTY"  # the EMPTY/NULL value
JQL_FIELDS = {"project": "project", "labels": "labels", "key": "issuekey", "issuekey": "issuekey",
              "issue": "issuekey", "id": "issuekey", "status": "status", "statuscategory": "statuscategory",
              "issuetype": "issuetype", "type": "issuetype", "resolution": "resolution",
              "summary": "summary", "description": "description", "text": "text"}
JQL_FIELDS_NOT_FAKED = {  # real Jira fields the fake cannot search
    "affectedversion", "assignee", "attachments", "category", "comment", "component", "created",
    "createddate", "creator", "due", "duedate", "environment", "filter", "fixversion", "lastviewed",
    "level", "originalestimate", "parent", "priority", "remainingestimate", "reporter", "resolutiondate",
    "resolved", "sprint", "statuschangeddate", "timespent", "updated", "updateddate", "voter", "votes",
    "watcher", "watchers", "worklogauthor", "worklogcomment", "worklogdate",
}
JQL_OPS = {"project": {"=", "!=", "in", "not in"}, "issuetype": {"=", "!=", "in", "not in"},
           "status": {"=", "!=", "in", "not in"}, "statuscategory": {"=", "!=", "in", "not in"},
           "issuekey": {"=", "!=", "in", "not in"},
           "labels": {"=", "!=", "in", "not in", "is", "is not"},
           "resolution": {"=", "!=", "in", "not in", "is", "is not"},
           "summary": {"~", "!~"}, "description": {"~", "!~", "is", "is not"}, "text": {"~"}}
ISSUE_KEY_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*-[0-9]+")


class _Tok:
    def __init__(self, kind, text, value, pos):
        self.kind, self.text, self.value, self.pos = kind, text, value, pos

    def kw(self, *words):
        return self.kind == "word" and self.value.upper() in words


def _at(pos):
    return f"(line 1, character {pos})"


def jql_tokenize(s):
    toks, i, n = [], 0, len(s)
    while i < n:
        c, pos = s[i], i + 1
        if c.isspace():
            i += 1
        elif c in "(),":
            toks.append(_Tok({"(": "lparen", ")": "rparen", ",": "comma"}[c], c, c, pos))
            i += 1
        elif c in "\"'":
            j, buf = i + 1, []
            while j < n and s[j] != c:
                if s[j] == "\\" and j + 1 < n:
                    esc = s[j + 1]
                    if esc in "\"'\\ ":
                        buf.append(esc)
                    elif esc in "nrt":
                        buf.append({"n": "\n", "r": "\r", "t": "\t"}[esc])
                    elif esc == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", s[j + 2:j + 6]):
                        buf.append(chr(int(s[j + 2:j + 6], 16)))
                        j += 4
                    else:
                        raise JqlError(f"The escape sequence '\\{esc}' in the string is invalid. {_at(j + 1)}")
                    j += 2
                    continue
                buf.append(s[j])
                j += 1
            if j >= n:
                raise JqlError(f"The quoted string '{s[i + 1:]}' has not been completed. {_at(pos)}")
            toks.append(_Tok("string", s[i:j + 1], "".join(buf), pos))
            i = j + 1
        elif s.startswith(("!=", "!~", "<=", ">="), i):
            toks.append(_Tok("op", s[i:i + 2], s[i:i + 2], pos))
            i += 2
        elif c in "=~<>":
            toks.append(_Tok("op", c, c, pos))
            i += 1
        elif s.startswith(("&&", "||"), i):
            toks.append(_Tok("word", s[i:i + 2], "AND" if c == "&" else "OR", pos))
            i += 2
        elif c == "!":
            toks.append(_Tok("word", c, "NOT", pos))
            i += 1
        else:
            j = i
            while j < n and not s[j].isspace() and s[j] not in "()\"',=!~<>&|":
                j += 1
            word = s[i:j] or c  # a lone '&' or '|' is reserved
            for k, ch in enumerate(word):
                if ch in JQL_RESERVED_CHARS or ch in "&|":
                    raise JqlError(f"The character '{ch}' is a reserved JQL character. You must enclose it "
                                   f"in a string or use the escape '\\u{ord(ch):04x}' instead. {_at(i + k + 1)}")
            toks.append(_Tok("word", word, word, pos))
            i = j
    toks.append(_Tok("eof", "", "", n + 1))
    return toks


class JqlParser:
    """Recursive descent: or := and (OR and)*; and := not (AND not)*; not := NOT not | primary."""

    def __init__(self, text):
        self.toks, self.i = jql_tokenize(text), 0

    def _peek(self):
        return self.toks[self.i]

    def _next(self):
        tok = self.toks[self.i]
        self.i = min(self.i + 1, len(self.toks) - 1)
        return tok

    def parse(self):
        """-> (where AST or None, [(field, 'ASC'|'DESC'|None, pos)])."""
        where, order = None, []
        if self._peek().kind != "eof" and not self._peek().kw("ORDER"):
            where = self._or()
        if self._peek().kw("ORDER"):
            self._next()
            by = self._next()
            if not by.kw("BY"):
                raise JqlError(f"Expecting 'BY' but got '{by.text}'. {_at(by.pos)}")
            order = self._order()
        tok = self._peek()
        if tok.kind != "eof":
            raise JqlError(f"Expecting either 'OR' or 'AND' but got '{tok.text}'. {_at(tok.pos)}")
        return where, order

    def _or(self):
        node = self._and()
        while self._peek().kw("OR"):
            self._next()
            node = ("or", node, self._and())
        return node

    def _and(self):
        node = self._not()
        while self._peek().kw("AND"):
            self._next()
            node = ("and", node, self._not())
        return node

    def _not(self):
        if self._peek().kw("NOT"):
            self._next()
            return ("not", self._not())
        if self._peek().kind == "lparen":
            self._next()
            node = self._or()
            close = self._next()
            if close.kind != "rparen":
                raise JqlError("Expecting ')' before the end of the query." if close.kind == "eof"
                               else f"Expecting ')' but got '{close.text}'. {_at(close.pos)}")
            return node
        return self._clause()

    def _clause(self):
        field = self._next()
        if field.kind == "eof":
            raise JqlError("Expecting a field name before the end of the query.")
        if field.kind not in ("word", "string") or (field.kind == "word" and field.value.upper() in JQL_KEYWORDS):
            raise JqlError(f"Expecting a field name but got '{field.text}'. {_at(field.pos)}")
        tok = self._next()
        if tok.kind == "op":
            op = tok.value
        elif tok.kw("IN"):
            op = "in"
        elif tok.kw("NOT"):
            nxt = self._next()
            if not nxt.kw("IN"):
                raise JqlError(f"Expecting 'IN' but got '{nxt.text}'. {_at(nxt.pos)}")
            op = "not in"
        elif tok.kw("IS"):
            op = "is"
            if self._peek().kw("NOT"):
                self._next()
                op = "is not"
        elif tok.kind == "eof":
            raise JqlError(f"Expecting operator before the end of the query. {VALID_OPERATORS}")
        elif tok.kw("WAS", "CHANGED"):
            raise JqlError(f"The '{tok.value.upper()}' operator is not supported by this fake Jira. {_at(tok.pos)}")
        else:
            raise JqlError(f"Expecting operator but got '{tok.text}'. {VALID_OPERATORS} {_at(tok.pos)}")
        if op in ("in", "not in"):
            values = self._list()
        elif op in ("is", "is not"):
            tok = self._next()
            if not tok.kw("EMPTY", "NULL"):
                raise JqlError(f"Expecting 'EMPTY' or 'NULL' after '{op.upper()}' but got '{tok.text}'. {_at(tok.pos)}")
            values = [EMPTY]
        else:
            values = [self._value(allow_empty=op in ("=", "!="))]
        return ("clause", field.value, op, values, field.pos)

    def _list(self):
        tok = self._next()
        if tok.kind != "lparen":
            raise JqlError(f"Expecting '(' but got '{tok.text}'. {_at(tok.pos)}")
        values = [self._value(allow_empty=True)]
        while True:
            tok = self._next()
            if tok.kind == "comma":
                values.append(self._value(allow_empty=True))
            elif tok.kind == "rparen":
                return values
            elif tok.kind == "eof":
                raise JqlError("Expecting ')' before the end of the query.")
            else:
                raise JqlError(f"Expecting ',' or ')' but got '{tok.text}'. {_at(tok.pos)}")

    def _value(self, allow_empty):
        tok = self._next()
        if tok.kind == "string":
            return tok.value
        if tok.kind == "word":
            if tok.kw("EMPTY", "NULL") and allow_empty:
                return EMPTY
            if self._peek().kind == "lparen":
                raise JqlError(f"The function '{tok.value}' is not supported by this fake Jira. {_at(tok.pos)}")
            if tok.value.lower() in JQL_RESERVED_WORDS or tok.value.upper() in JQL_KEYWORDS:
                raise JqlError(f"'{tok.value}' is a reserved JQL word. You must surround it in quotation "
                               f"marks to use it in a query. {_at(tok.pos)}")
            return tok.value
        if tok.kind == "eof":
            raise JqlError("Expecting either a value, list or function before the end of the query.")
        raise JqlError(f"Expecting either a value, list or function but got '{tok.text}'. You must surround "
                       f"'{tok.text}' in quotation marks to use it as a value. {_at(tok.pos)}")

    def _order(self):
        items = []
        while True:
            field = self._next()
            if field.kind not in ("word", "string") or field.kw(*JQL_KEYWORDS):
                raise JqlError(("Expecting a field name before the end of the query." if field.kind == "eof"
                                else f"Expecting a field name but got '{field.text}'. {_at(field.pos)}"))
            direction = self._next().value.upper() if self._peek().kw("ASC", "DESC") else None
            items.append((field.value, direction, field.pos))
            if self._peek().kind != "comma":
                return items
            self._next()


# ================================================================ the fake Jira
def _route(pattern, **methods):
    return re.compile(r"^/rest/api/(2|3)/" + pattern + r"/?$"), methods


ROUTES = [
    _route(r"issue", POST="create_issue"),
    _route(r"issue/([^/]+)", GET="get_issue", PUT="edit_issue"),
    _route(r"issue/([^/]+)/transitions", GET="get_transitions", POST="do_transition"),
    _route(r"issue/([^/]+)/comment", GET="get_comments", POST="add_comment"),
    _route(r"search", GET="search_legacy", POST="search_legacy"),
    _route(r"search/jql", GET="search_jql", POST="search_jql"),
]


class Ctx:
    """One API request, as the endpoint handlers see it."""

    def __init__(self, method, version, query, body):
        self.method, self.v, self.query, self.body = method, version, query, body

    def param(self, name, default=None):
        values = self.query.get(name)
        return values[-1] if values else default


class FakeJira:
    def __init__(self, user, token, project="VUL", rate_limit_every=0, legacy_search="ok"):
        self.user, self.token, self.project = user, token, project
        self.initial_rate_limit, self.legacy_search = rate_limit_every, legacy_search
        self.base_url = "http://127.0.0.1"
        self.account_id = hashlib.md5(user.lower().encode()).hexdigest()[:24]
        self.lock = threading.RLock()
        self.reset()

    def reset(self):
        with self.lock:
            self.issues = {}  # id (str) -> issue dict (see _new_issue)
            self.next_id, self.next_number, self.next_comment = FIRST_ISSUE_ID, 1, FIRST_COMMENT_ID
            self.requests, self.violations = [], []
            self.failures = deque()  # [status, remaining, retry_after]
            self.rate_limit_every, self.rl_count, self.seq = self.initial_rate_limit, 0, 0
            self.stalls = deque()  # [seconds, remaining]: answers held back after the work

    # ------------------------------------------------------------ entry points
    def api(self, method, path, query, headers, raw):
        """Answer one API request (anything outside /_fake/); logs it."""
        with self.lock:
            self.seq += 1
            self.rl_count += 1
            injected = False
            if self.failures:
                injected = True
                resp = self._injected_failure()
            elif self.rate_limit_every and self.rl_count % self.rate_limit_every == 0:
                resp = self._rate_limited()
            else:
                try:
                    resp = self._serve(method, path, query, headers, raw)
                except ApiError as e:
                    resp = e.response()
                    if 400 <= e.status < 500 and e.status not in (401, 404, 429):
                        where = path + ("?" + query if query else "")
                        self.violations.append(f"{method} {where} -> {e.status}: {e.detail}")
                except Exception as e:  # a bug in the fake: say so loudly, keep serving
                    traceback.print_exc()
                    resp = Response(500, {"errorMessages": [f"fake_jira internal error: {e!r}"], "errors": {}})
            if self.stalls:
                # Done, then answered late: a client that gives up or dies meanwhile does not
                # know that Jira did it (the in-doubt case).
                resp.delay = self.stalls[0][0]
                self.stalls[0][1] -= 1
                if self.stalls[0][1] <= 0:
                    self.stalls.popleft()
            entry = {"seq": self.seq, "method": method, "path": path, "query": query, "status": resp.status}
            if injected:
                entry["injected"] = True
            self.requests.append(entry)
            resp.headers.setdefault("X-AREQUESTID", f"fake-{self.seq}")
            return resp

    def control(self, method, path, raw):
        """The /_fake/ endpoints (no auth, not logged)."""
        with self.lock:
            try:
                body = {}
                if raw.strip():
                    body = json.loads(raw.decode("utf-8"))
                    if not isinstance(body, dict):
                        raise ValueError("body must be a JSON object")
            except (ValueError, UnicodeDecodeError) as e:
                return Response(400, {"error": f"bad JSON body: {e}"})
            if (method, path) == ("GET", "/_fake/state"):
                return Response(200, self.state())
            if (method, path) == ("POST", "/_fake/reset"):
                self.reset()
                return Response(200, {"ok": True})
            if (method, path) == ("POST", "/_fake/rate-limit"):
                every = body.get("every")
                if not isinstance(every, int) or isinstance(every, bool) or every < 0:
                    return Response(400, {"error": "'every' must be an integer >= 0"})
                self.rate_limit_every, self.rl_count = every, 0
                return Response(200, {"ok": True, "every": every})
            if (method, path) == ("POST", "/_fake/stall"):
                seconds, count = body.get("seconds"), body.get("count", 1)
                if not isinstance(seconds, (int, float)) or not 0 < seconds <= 60:
                    return Response(400, {"error": "'seconds' must be a number in (0, 60]"})
                if not isinstance(count, int) or count < 1:
                    return Response(400, {"error": "'count' must be an integer >= 1"})
                self.stalls.append([seconds, count])
                return Response(200, {"ok": True})
            if (method, path) == ("POST", "/_fake/fail"):
                status, count = body.get("status"), body.get("count", 1)
                retry_after = body.get("retryAfter")
                if not isinstance(status, int) or not 400 <= status <= 599:
                    return Response(400, {"error": "'status' must be an integer 400..599"})
                if not isinstance(count, int) or count < 1:
                    return Response(400, {"error": "'count' must be an integer >= 1"})
                if retry_after is not None and (not isinstance(retry_after, int) or retry_after < 0):
                    return Response(400, {"error": "'retryAfter' must be an integer >= 0"})
                self.failures.append([status, count, retry_after])
                return Response(200, {"ok": True, "pending": [f[:2] for f in self.failures]})
            return Response(404, {"error": f"no control endpoint {method} {path}"})

    def state(self):
        return {
            "project": {"id": PROJECT_ID, "key": self.project, "name": PROJECT_NAME},
            "issues": [self._state_issue(i) for i in sorted(self.issues.values(), key=lambda i: int(i["id"]))],
            "requests": [dict(r) for r in self.requests],
            "violations": list(self.violations),
            "rateLimitEvery": self.rate_limit_every,
            "pendingFailures": [{"status": s, "count": c} for s, c, _ in self.failures],
        }

    # --------------------------------------------------- faults and throttling
    def _injected_failure(self):
        head = self.failures[0]
        status, retry_after = head[0], head[2]
        head[1] -= 1
        if head[1] <= 0:
            self.failures.popleft()
        if status == 429:
            return self._rate_limited()
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        return Response(status, {"errorMessages": [phrase], "errors": {}}, headers)

    def _rate_limited(self):
        reset = datetime.now(timezone.utc) + timedelta(seconds=1)
        return Response(429, {"errorMessages": [MSG_RATE_LIMITED], "errors": {}}, {
            "Retry-After": "1",
            "X-RateLimit-Limit": str(max(self.rate_limit_every, 1)),
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": reset.strftime("%Y-%m-%dT%H:%MZ"),  # ISO 8601, as documented
            "RateLimit-Reason": "jira-burst-based",
        })

    # -------------------------------------------------------- request pipeline
    def _serve(self, method, path, query, headers, raw):
        self._check_auth(headers.get("Authorization"))
        version, handler, args = self._route(method, path)
        self._check_accept(headers.get("Accept"))
        body = None
        if method in ("POST", "PUT"):
            body = self._parse_body(headers.get("Content-Type"), raw)
        ctx = Ctx(method, version, parse_qs(query, keep_blank_values=True), body)
        return getattr(self, handler)(ctx, *args)

    def _check_auth(self, header):
        fail = {"WWW-Authenticate": 'Basic realm="Jira"'}
        if not header:
            raise ApiError(401, [MSG_NOT_AUTHENTICATED], headers=fail, detail="no Authorization header")
        scheme, _, blob = header.strip().partition(" ")
        try:
            user, sep, token = base64.b64decode(blob.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            sep = ""
        ok = (scheme.lower() == "basic" and sep
              and hmac.compare_digest(user.lower().encode(), self.user.lower().encode())
              and hmac.compare_digest(token.encode(), self.token.encode()))
        if not ok:
            fail["X-Seraph-LoginReason"] = "AUTHENTICATED_FAILED"
            raise ApiError(401, [MSG_NOT_AUTHENTICATED], headers=fail, detail="bad credentials")

    def _route(self, method, path):
        for pattern, methods in ROUTES:
            m = pattern.match(path)
            if m:
                if method not in methods:
                    raise ApiError(405, ["Method Not Allowed"], headers={"Allow": ", ".join(sorted(methods))},
                                   detail=f"{method} is not allowed here (allowed: {', '.join(sorted(methods))})")
                return int(m.group(1)), methods[method], [unquote(g) for g in m.groups()[1:]]
        raise ApiError(404, [f"No REST resource at {path}"])

    @staticmethod
    def _check_accept(accept):
        if not accept:
            raise ApiError(406, ["Not Acceptable"], detail="no Accept header (send 'Accept: application/json')")
        for part in accept.split(","):
            media, *params = [p.strip() for p in part.split(";")]
            q = 1.0
            for p in params:
                if p.lower().startswith("q="):
                    try:
                        q = float(p[2:])
                    except ValueError:
                        q = 0.0
            if media.lower() == "application/json" and q > 0:
                return
        raise ApiError(406, ["Not Acceptable"], detail=f"Accept '{accept}' does not list application/json")

    @staticmethod
    def _parse_body(content_type, raw):
        media = (content_type or "").split(";")[0].strip().lower()
        if media != "application/json":
            raise ApiError(415, ["Unsupported Media Type"],
                           detail=f"Content-Type is {content_type!r}, not application/json")
        if not raw.strip():
            raise ApiError(400, ["No content to map to Object due to end of input"], detail="empty request body")

        def no_constants(name):
            raise ValueError(f"{name} is not valid JSON")

        try:
            body = json.loads(raw.decode("utf-8"), parse_constant=no_constants)
        except UnicodeDecodeError as e:
            raise ApiError(400, [f"Invalid UTF-8 middle byte: {e.reason}"], detail="body is not UTF-8")
        except json.JSONDecodeError as e:
            raise ApiError(400, [f"Unexpected character at line {e.lineno}, column {e.colno}: {e.msg}"],
                           detail=f"invalid JSON: {e}")
        except ValueError as e:
            raise ApiError(400, [str(e)], detail=f"invalid JSON: {e}")
        if not isinstance(body, dict):
            raise ApiError(400, [f"Can not deserialize instance of the request out of a JSON {type(body).__name__}"],
                           detail="body is not a JSON object")
        return body

    @staticmethod
    def _only_keys(body, allowed):
        for key in body:
            if key not in allowed:
                raise ApiError(400, [f'Unrecognized field "{key}" (not marked as ignorable)'],
                               detail=f"unknown top-level property '{key}' (allowed: {', '.join(sorted(allowed))})")

    # ----------------------------------------------------------------- issues
    def _find(self, id_or_key):
        if id_or_key.isdigit() and id_or_key in self.issues:
            return self.issues[id_or_key]
        for issue in self.issues.values():
            if issue["key"] == id_or_key.upper():
                return issue
        raise ApiError(404, [MSG_NO_ISSUE])

    def create_issue(self, ctx):
        body = ctx.body
        self._only_keys(body, {"fields", "update", "transition", "historyMetadata", "properties"})
        fields, update = self._sections(body)
        errors, adf = {}, []
        project = fields.get("project")
        if not (isinstance(project, dict) and (project.get("key") == self.project
                                               or str(project.get("id")) == PROJECT_ID)):
            errors["project"] = MSG_PROJECT
        issuetype = self._issue_type(fields.get("issuetype"), errors) if "issuetype" in fields else None
        if "issuetype" not in fields:
            errors["issuetype"] = MSG_ISSUETYPE_MISSING
        rest = {k: v for k, v in fields.items() if k not in ("project", "issuetype")}
        changes = self._check_fields(rest, ctx.v, {"summary", "description", "labels"}, errors, adf)
        ops = self._check_update(update, fields, ctx.v, {"summary", "description", "labels"}, errors, adf)
        if "summary" not in changes and not any(f == "summary" for f, _, _ in ops) and "summary" not in errors:
            errors["summary"] = MSG_SUMMARY_MISSING
        transition = None
        if "transition" in body:
            transition = self._transition_id(body["transition"], INITIAL_STATUS)
        self._raise_field_errors(errors, adf, MSG_ADF_CREATE)

        now = jira_time()
        issue = {"id": str(self.next_id), "key": f"{self.project}-{self.next_number}", "issuetype": issuetype,
                 "summary": None, "description": None, "descriptionFormat": None, "labels": [],
                 "status": INITIAL_STATUS, "resolution": None, "resolutiondate": None,
                 "created": now, "updated": now, "comments": [], "transitions": [], "edits": 0}
        self.next_id += 1
        self.next_number += 1
        self.issues[issue["id"]] = issue
        self._apply(issue, changes, ops, ctx.v)
        issue["edits"], issue["updated"] = 0, now  # setting the initial values is no edit
        result = {"id": issue["id"], "key": issue["key"], "self": self._issue_url(issue, ctx.v)}
        if transition:
            self._move(issue, transition, None)
            result["transition"] = {"status": 200, "errorCollection": {"errorMessages": [], "errors": {}}}
        return Response(201, result)

    def get_issue(self, ctx, id_or_key):
        issue = self._find(id_or_key)
        return Response(200, self._render_issue(issue, ctx.v, self._field_list(ctx.query.get("fields"), ["*all"])))

    def edit_issue(self, ctx, id_or_key):
        issue = self._find(id_or_key)
        self._only_keys(ctx.body, {"fields", "update", "historyMetadata", "properties"})
        fields, update = self._sections(ctx.body)
        errors, adf = {}, []
        editable = {"summary", "description", "labels", "issuetype"}
        changes = self._check_fields(fields, ctx.v, editable, errors, adf)
        ops = self._check_update(update, fields, ctx.v, editable | {"comment"}, errors, adf)
        self._raise_field_errors(errors, adf, MSG_ADF_INVALID)
        self._apply(issue, changes, ops, ctx.v)
        if ctx.param("returnIssue", "false").lower() == "true":
            return Response(200, self._render_issue(issue, ctx.v, ALL_FIELDS))
        return Response(204)

    def _sections(self, body):
        fields, update = body.get("fields", {}), body.get("update", {})
        if fields is None:
            fields = {}
        if update is None:
            update = {}
        for name, value in (("fields", fields), ("update", update)):
            if not isinstance(value, dict):
                raise ApiError(400, [f"Can not deserialize '{name}': expected a JSON object"],
                               detail=f"'{name}' is not an object")
        return fields, update

    @staticmethod
    def _raise_field_errors(errors, adf, adf_message):
        if errors:
            raise ApiError(400, [], errors)
        if adf:
            raise ApiError(400, [adf_message], detail="invalid ADF in " + "; ".join(adf))

    def _issue_type(self, value, errors):
        if isinstance(value, dict):
            for name, type_id in ISSUE_TYPES.items():
                if value.get("name") == name or str(value.get("id")) == type_id:
                    return name
        errors["issuetype"] = MSG_ISSUETYPE_INVALID
        return None

    # -------------------------------------------------------- field validation
    def _check_fields(self, fields, version, settable, errors, adf):
        """Validate `fields`; returns {name: new value}; fills errors / adf problems."""
        changes = {}
        for name, value in fields.items():
            if name not in settable:
                errors[name] = MSG_CANNOT_SET.format(name)
            elif name == "summary":
                self._set_or_error(changes, errors, name, value, self._summary_error(value))
            elif name == "description":
                self._check_text(changes, errors, adf, "description", value, version, nullable=True)
            elif name == "labels":
                labels, err = self._labels(value)
                self._set_or_error(changes, errors, name, labels, err)
            elif name == "issuetype":
                issuetype = self._issue_type(value, errors)
                if issuetype:
                    changes[name] = issuetype
            elif name == "resolution":
                resolution = self._resolution(value)
                self._set_or_error(changes, errors, name, resolution,
                                   None if resolution else "Could not find valid 'id' or 'name' in resolution object.")
        return changes

    @staticmethod
    def _set_or_error(changes, errors, name, value, error):
        if error:
            errors[name] = error
        else:
            changes[name] = value

    @staticmethod
    def _summary_error(value):
        if value is None or (isinstance(value, str) and not value.strip()):
            return MSG_SUMMARY_MISSING
        if not isinstance(value, str):
            return MSG_NOT_STRING
        if "\n" in value or "\r" in value:
            return MSG_SUMMARY_NEWLINE
        if java_len(value) > 255:
            return MSG_SUMMARY_LONG
        return None

    @staticmethod
    def _label_error(label):
        if not isinstance(label, str):
            return MSG_NOT_STRING
        if not label.strip():
            return "The label can't be empty."
        if re.search(r"\s", label):
            return f"The label '{label}' can't contain spaces."
        if java_len(label) > 255:
            return f"The label '{label}' exceeds the maximum length for a single label of 255 characters."
        return None

    def _labels(self, value):
        """-> (sorted unique labels, None) or (None, error)."""
        if value is None:
            return [], None
        if not isinstance(value, list):
            return None, MSG_NOT_ARRAY
        for label in value:
            err = self._label_error(label)
            if err:
                return None, err
        return sorted(set(value)), None

    @staticmethod
    def _resolution(value):
        if isinstance(value, dict):
            for name, res_id in RESOLUTIONS.items():
                if value.get("name") == name or str(value.get("id")) == res_id:
                    return name
        return None

    def _check_text(self, changes, errors, adf, name, value, version, nullable, error_key=None):
        """A wiki string (v2) or ADF document (v3) for field `name`."""
        key = error_key or name
        if value is None and nullable:
            changes[name] = None
        elif version == 2:
            if not isinstance(value, str):
                errors[key] = MSG_NOT_STRING
            elif java_len(value) > TEXT_LIMIT:
                errors[key] = MSG_TOO_LONG
            else:
                changes[name] = value
        elif not is_adf_doc(value):
            errors[key] = MSG_NOT_ADF
        else:
            try:
                validate_adf(value)
            except AdfInvalid as e:
                adf.append(f"{key}: {e}")
                return
            if java_len(adf_to_wiki(value)) > TEXT_LIMIT:
                errors[key] = MSG_TOO_LONG
            else:
                changes[name] = value

    def _check_update(self, update, fields, version, allowed, errors, adf):
        """Validate the `update` section; returns [(field, verb, value)]."""
        verbs = {"labels": {"add", "remove", "set"}, "summary": {"set"}, "description": {"set"},
                 "issuetype": {"set"}, "comment": {"add"}}
        ops = []
        for name, operations in update.items():
            if name not in allowed:
                errors[name] = MSG_CANNOT_SET.format(name)
                continue
            if name in fields:
                errors[name] = f"Field '{name}' cannot be set in both 'fields' and 'update'."
                continue
            if not isinstance(operations, list):
                errors[name] = MSG_NOT_ARRAY
                continue
            for op in operations:
                if not isinstance(op, dict) or len(op) != 1:
                    errors[name] = "Each operation must be an object with exactly one verb, e.g. {\"add\": value}."
                    break
                (verb, value), = op.items()
                if verb not in verbs[name]:
                    errors[name] = f"Operation '{verb}' is not supported for field '{name}'."
                    break
                one = {}
                if name == "labels" and verb in ("add", "remove"):
                    if verb == "add":
                        err = self._label_error(value)
                    else:
                        err = None if isinstance(value, str) else MSG_NOT_STRING
                    self._set_or_error(one, errors, name, value, err)
                elif name == "comment":
                    body = value.get("body") if isinstance(value, dict) else None
                    self._check_comment_body(one, errors, adf, body, version, error_key="comment")
                    if "body" in one:
                        one = {"comment": one["body"]}
                else:
                    one = self._check_fields({name: value}, version, {name}, errors, adf)
                if name in one:
                    ops.append((name, verb, one[name]))
        return ops

    def _check_comment_body(self, out, errors, adf, body, version, error_key="comment"):
        if body is None or (isinstance(body, str) and not body.strip()) \
                or (is_adf_doc(body) and body.get("content") == []):
            errors[error_key] = MSG_COMMENT_EMPTY
            return
        self._check_text(out, errors, adf, "body", body, version, nullable=False, error_key=error_key)

    def _apply(self, issue, changes, ops, version):
        for name, value in changes.items():
            self._set_field(issue, name, value, version)
        for name, verb, value in ops:
            if name == "labels" and verb == "add":
                issue["labels"] = sorted(set(issue["labels"]) | {value})
            elif name == "labels" and verb == "remove":
                issue["labels"] = [label for label in issue["labels"] if label != value]
            elif name == "comment":
                self._add_comment(issue, value, version)
            else:
                self._set_field(issue, name, value, version)
        if changes or ops:
            issue["updated"] = jira_time()
            issue["edits"] += 1

    @staticmethod
    def _set_field(issue, name, value, version):
        if name == "description":
            issue["description"] = value
            issue["descriptionFormat"] = None if value is None else ("wiki" if version == 2 else "adf")
        elif name == "resolution":
            issue["resolution"] = value
        else:
            issue[name] = value

    # ------------------------------------------------------------ transitions
    def _available(self, issue):
        return [(tid, to) for tid, to in TRANSITIONS if to != issue["status"]]

    def _transition_id(self, transition, status):
        if not isinstance(transition, dict) or not isinstance(transition.get("id"), (str, int)) \
                or isinstance(transition.get("id"), bool):
            raise ApiError(400, [MSG_TRANSITION_MISSING], detail="'transition' must be {\"id\": \"<id>\"}")
        tid = str(transition["id"])
        if tid not in [t for t, to in TRANSITIONS if to != status]:
            raise ApiError(400, [MSG_TRANSITION_INVALID.format(tid)],
                           detail=f"transition '{tid}' is not available from status '{status}'")
        return tid

    def get_transitions(self, ctx, id_or_key):
        issue = self._find(id_or_key)
        wanted = ctx.param("transitionId")
        expand_fields = "transitions.fields" in (ctx.param("expand") or "")
        out = []
        for tid, to in self._available(issue):
            if wanted and wanted != tid:
                continue
            t = {"id": tid, "name": to, "to": self._status(to, ctx.v), "hasScreen": tid == SCREEN_TRANSITION,
                 "isGlobal": True, "isInitial": False, "isAvailable": True, "isConditional": False,
                 "isLooped": False}
            if expand_fields:
                t["fields"] = {}
                if tid == SCREEN_TRANSITION:
                    t["fields"]["resolution"] = {
                        "required": False, "name": "Resolution", "key": "resolution", "operations": ["set"],
                        "schema": {"type": "resolution", "system": "resolution"},
                        "allowedValues": [self._resolution_repr(n, ctx.v) for n in RESOLUTIONS]}
            out.append(t)
        return Response(200, {"expand": "transitions", "transitions": out})

    def do_transition(self, ctx, id_or_key):
        issue = self._find(id_or_key)
        body = ctx.body
        self._only_keys(body, {"transition", "fields", "update", "historyMetadata", "properties"})
        tid = self._transition_id(body.get("transition"), issue["status"])
        fields, update = self._sections(body)
        errors, adf = {}, []
        on_screen = {"resolution"} if tid == SCREEN_TRANSITION else set()
        changes = self._check_fields(fields, ctx.v, on_screen, errors, adf)
        ops = self._check_update(update, fields, ctx.v, {"comment"}, errors, adf)
        self._raise_field_errors(errors, adf, MSG_ADF_INVALID)
        self._move(issue, tid, changes.get("resolution"))
        self._apply(issue, {}, ops, ctx.v)
        return Response(204)

    def _move(self, issue, tid, resolution):
        target = dict(TRANSITIONS)[tid]
        now = jira_time()
        issue["transitions"].append({"id": tid, "name": target, "from": issue["status"], "to": target, "at": now})
        issue["status"] = target
        if target == "Done":  # the workflow's post function sets a resolution
            issue["resolution"], issue["resolutiondate"] = resolution or "Done", now
        else:
            issue["resolution"] = issue["resolutiondate"] = None
        issue["updated"] = now

    # --------------------------------------------------------------- comments
    def add_comment(self, ctx, id_or_key):
        issue = self._find(id_or_key)
        self._only_keys(ctx.body, {"body", "visibility", "properties"})
        out, errors, adf = {}, {}, []
        self._check_comment_body(out, errors, adf, ctx.body.get("body"), ctx.v)
        self._raise_field_errors(errors, adf, MSG_ADF_INVALID)
        comment = self._add_comment(issue, out["body"], ctx.v)
        issue["updated"] = comment["created"]
        return Response(201, self._render_comment(issue, comment, ctx.v))

    def _add_comment(self, issue, body, version):
        comment = {"id": str(self.next_comment), "body": body, "bodyFormat": "wiki" if version == 2 else "adf",
                   "created": jira_time(), "apiVersion": version}
        self.next_comment += 1
        issue["comments"].append(comment)
        return comment

    def get_comments(self, ctx, id_or_key):
        issue = self._find(id_or_key)
        start = self._int_param(ctx.param("startAt"), "startAt", 0)
        limit = self._int_param(ctx.param("maxResults"), "maxResults", 5000)
        comments = list(issue["comments"])
        if (ctx.param("orderBy") or "").startswith("-"):
            comments.reverse()
        page = comments[start:start + limit]
        return Response(200, {"startAt": start, "maxResults": limit, "total": len(comments),
                              "comments": [self._render_comment(issue, c, ctx.v) for c in page]})

    # ----------------------------------------------------------------- search
    def search_legacy(self, ctx):
        if self.legacy_search == "gone":
            raise ApiError(410, [MSG_SEARCH_GONE], detail="the legacy /search endpoint was removed from Jira Cloud")
        q = self._search_args(ctx, {"jql", "startAt", "maxResults", "fields", "expand", "validateQuery",
                                    "properties", "fieldsByKeys"})
        start = self._int_param(q.get("startAt"), "startAt", 0)
        limit = min(self._int_param(q.get("maxResults"), "maxResults", 50), 100)
        found = self._run_jql(q.get("jql") or "", bounded=False)
        fields = self._field_list(q.get("fields"), ["*navigable"])
        return Response(200, {"expand": "schema,names", "startAt": start, "maxResults": limit, "total": len(found),
                              "issues": [self._render_issue(i, ctx.v, fields)
                                         for i in found[start:start + limit]]})

    def search_jql(self, ctx):
        q = self._search_args(ctx, {"jql", "nextPageToken", "maxResults", "fields", "expand", "properties",
                                    "fieldsByKeys", "failFast", "reconcileIssues"})
        found = self._run_jql(q.get("jql") or "", bounded=True)
        requested = q.get("fields")
        fields = self._field_list(requested, [])
        ids_only = not fields
        limit = min(self._int_param(q.get("maxResults"), "maxResults", 50), 5000 if ids_only else 100)
        start = 0
        token = q.get("nextPageToken")
        if token:
            try:
                start = int(base64.urlsafe_b64decode(token.encode()).decode().removeprefix("offset:"))
            except (ValueError, UnicodeDecodeError, binascii.Error):
                raise ApiError(400, ["The provided next page token is invalid or expired."],
                               detail=f"bad nextPageToken {token!r}")
        page = found[start:start + limit]
        issues = []
        for issue in page:
            if requested is None:
                issues.append({"id": issue["id"]})
            else:
                issues.append(self._render_issue(issue, ctx.v, fields))
        result = {"issues": issues, "isLast": start + limit >= len(found)}
        if not result["isLast"]:
            result["nextPageToken"] = base64.urlsafe_b64encode(f"offset:{start + limit}".encode()).decode()
        return Response(200, result)

    def _search_args(self, ctx, allowed):
        """GET query parameters or POST body, normalised: fields -> list or None."""
        if ctx.method == "POST":
            self._only_keys(ctx.body, allowed)
            args = dict(ctx.body)
            for name in ("jql", "nextPageToken"):
                if args.get(name) is not None and not isinstance(args[name], str):
                    raise ApiError(400, [f"'{name}' must be a string"], detail=f"'{name}' is not a string")
            fields = args.get("fields")
            if fields is not None and not (isinstance(fields, list) and all(isinstance(f, str) for f in fields)):
                raise ApiError(400, ["'fields' must be an array of strings"],
                               detail="'fields' is not a list of strings")
            return args
        args = {name: ctx.param(name) for name in allowed if name in ctx.query}
        if "fields" in ctx.query:
            args["fields"] = [f for v in ctx.query["fields"] for f in v.split(",")]
        return args

    @staticmethod
    def _int_param(value, name, default):
        if value is None or value == "":
            return default
        if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
            raise ApiError(400, [f"The value '{value}' of parameter '{name}' is not a valid non-negative integer."],
                           detail=f"bad {name} {value!r}")
        return int(value)

    def _run_jql(self, jql, bounded):
        try:
            where, order = JqlParser(jql).parse()
            if bounded and where is None:
                raise JqlError(MSG_UNBOUNDED, syntax=False)
            predicate = self._compile(where) if where else (lambda issue: True)
            keys = self._order_keys(order)
        except JqlError as e:
            raise ApiError(400, [e.message], detail=f"JQL {jql!r}: {e.message}")
        found = [i for i in sorted(self.issues.values(), key=lambda i: int(i["id"])) if predicate(i)]
        for key, descending in reversed(keys):
            found.sort(key=key, reverse=descending)
        return found

    def _order_keys(self, order):
        if not order:
            return [(lambda i: int(i["id"]), True)]  # no ORDER BY: newest first
        sorters = {"key": lambda i: int(i["id"]), "issuekey": lambda i: int(i["id"]), "id": lambda i: int(i["id"]),
                   "created": lambda i: (i["created"], int(i["id"])), "updated": lambda i: (i["updated"], int(i["id"])),
                   "summary": lambda i: (i["summary"] or "").lower(),
                   "status": lambda i: [to for _, to in TRANSITIONS].index(i["status"])}
        keys = []
        for name, direction, _pos in order:
            if name.lower() not in sorters:
                raise JqlError(f"Not able to sort using field '{name}'.", syntax=False)
            default_desc = name.lower() in ("created", "updated")
            keys.append((sorters[name.lower()], direction == "DESC" if direction else default_desc))
        return keys

    def _compile(self, node):
        kind = node[0]
        if kind in ("and", "or"):
            left, right = self._compile(node[1]), self._compile(node[2])
            return (lambda i: left(i) and right(i)) if kind == "and" else (lambda i: left(i) or right(i))
        if kind == "not":
            inner = self._compile(node[1])
            return lambda i: not inner(i)
        _, name, op, values, pos = node
        field = JQL_FIELDS.get(name.lower())
        if field is None:
            if name.lower() in JQL_FIELDS_NOT_FAKED or name.lower().startswith(("cf[", "customfield_")):
                raise JqlError(f"The field '{name}' exists in Jira but is not supported by this fake Jira. {_at(pos)}")
            raise JqlError(f"Field '{name}' does not exist or you do not have permission to view it.", syntax=False)
        if op not in JQL_OPS[field]:
            raise JqlError(f"The operator '{op.upper()}' is not supported by the '{name}' field.", syntax=False)
        getter = self._jql_getter(field)
        if op in ("~", "!~"):
            term = values[0] if values[0] != EMPTY else ""
            term = term.strip("*?").lower()
            if not term:
                raise JqlError(f"The field '{name}' does not support searching for an empty string.", syntax=False)
            return (lambda i: term in getter(i)) if op == "~" else (lambda i: term not in getter(i))
        if op in ("is", "is not"):
            return (lambda i: not getter(i)) if op == "is" else (lambda i: bool(getter(i)))
        targets = set()
        for value in values:
            targets.add(EMPTY if value == EMPTY else self._jql_value(field, name, value))
        if EMPTY in targets and field not in ("labels", "resolution"):
            raise JqlError(f"The field '{name}' does not support searching for EMPTY values.", syntax=False)
        if op in ("=", "in"):
            return lambda i: bool(getter(i) & targets) or (EMPTY in targets and not getter(i))
        return lambda i: bool(getter(i)) and not (getter(i) & targets)

    def _jql_getter(self, field):
        def text_of(value):
            if value is None:
                return ""
            return (adf_to_wiki(value) if isinstance(value, dict) else value).lower()

        return {
            "project": lambda i: {PROJECT_ID},
            "labels": lambda i: set(i["labels"]),
            "issuekey": lambda i: {i["key"]},
            "status": lambda i: {i["status"]},
            "statuscategory": lambda i: {STATUSES[i["status"]][1]},
            "issuetype": lambda i: {i["issuetype"]},
            "resolution": lambda i: {i["resolution"]} if i["resolution"] else set(),
            "summary": lambda i: (i["summary"] or "").lower(),
            "description": lambda i: text_of(i["description"]),
            "text": lambda i: " ".join([(i["summary"] or "").lower(), text_of(i["description"])]
                                       + [text_of(c["body"]) for c in i["comments"]]),
        }[field]

    def _jql_value(self, field, name, value):
        """Normalise one JQL value for field, or raise Jira's 'does not exist' error."""
        low = value.lower()
        missing = JqlError(f"The value '{value}' does not exist for the field '{name}'.", syntax=False)
        if field == "labels":
            return value
        if field == "project":
            if low in (self.project.lower(), PROJECT_NAME.lower()) or value == PROJECT_ID:
                return PROJECT_ID
            raise missing
        if field == "issuetype":
            for type_name, type_id in ISSUE_TYPES.items():
                if low == type_name.lower() or value == type_id:
                    return type_name
            raise missing
        if field == "status":
            for status, (status_id, _cat) in STATUSES.items():
                if low == status.lower() or value == status_id:
                    return status
            raise missing
        if field == "statuscategory":
            for key, cat in STATUS_CATEGORIES.items():
                if low in (key, cat["name"].lower()) or value == str(cat["id"]):
                    return key
            raise missing
        if field == "resolution":
            if low == "unresolved":
                return EMPTY
            for res, res_id in RESOLUTIONS.items():
                if low == res.lower() or value == res_id:
                    return res
            raise missing
        # issuekey
        if value.isdigit():
            if value in self.issues:
                return self.issues[value]["key"]
            raise JqlError(f"An issue with key '{value}' does not exist for field '{name}'.", syntax=False)
        if not ISSUE_KEY_RE.fullmatch(value):
            raise JqlError(f"The issue key '{value}' for field '{name}' is invalid.", syntax=False)
        if not any(i["key"] == value.upper() for i in self.issues.values()):
            raise JqlError(f"An issue with key '{value}' does not exist for field '{name}'.", syntax=False)
        return value.upper()

    # -------------------------------------------------------------- rendering
    @staticmethod
    def _field_list(tokens, default):
        """Jira's fields=... semantics: names, *all, *navigable, -name (exclude)."""
        if tokens is None:
            tokens = default
        tokens = [t.strip() for v in tokens for t in v.split(",")]
        include, exclude = [], set()
        for tok in tokens:
            if tok == "*all":
                include += ALL_FIELDS
            elif tok == "*navigable":
                include += NAVIGABLE_FIELDS
            elif tok.startswith("-"):
                exclude.add(tok[1:])
            elif tok:
                include.append(tok)
        return [f for f in dict.fromkeys(include) if f in ALL_FIELDS and f not in exclude]

    def _issue_url(self, issue, version):
        return f"{self.base_url}/rest/api/{version}/issue/{issue['id']}"

    def _user(self, version):
        return {"self": f"{self.base_url}/rest/api/{version}/user?accountId={self.account_id}",
                "accountId": self.account_id, "emailAddress": self.user,
                "displayName": self.user.split("@")[0], "active": True, "timeZone": "Etc/UTC",
                "accountType": "atlassian"}

    def _status(self, name, version):
        status_id, cat_key = STATUSES[name]
        cat = STATUS_CATEGORIES[cat_key]
        return {"self": f"{self.base_url}/rest/api/{version}/status/{status_id}", "description": "",
                "iconUrl": f"{self.base_url}/images/icons/statuses/generic.png", "name": name, "id": status_id,
                "statusCategory": {"self": f"{self.base_url}/rest/api/{version}/statuscategory/{cat['id']}", **cat}}

    def _resolution_repr(self, name, version):
        return {"self": f"{self.base_url}/rest/api/{version}/resolution/{RESOLUTIONS[name]}",
                "id": RESOLUTIONS[name], "description": "", "name": name}

    @staticmethod
    def _text_for(value, version):
        if value is None:
            return None
        if version == 2:
            return adf_to_wiki(value) if isinstance(value, dict) else value
        if isinstance(value, dict):
            return value
        return wiki_to_adf(value) if value.strip() else None

    def _render_comment(self, issue, comment, version):
        return {"self": f"{self._issue_url(issue, version)}/comment/{comment['id']}", "id": comment["id"],
                "author": self._user(version), "body": self._text_for(comment["body"], version),
                "updateAuthor": self._user(version), "created": comment["created"],
                "updated": comment["created"], "jsdPublic": True}

    def _render_issue(self, issue, version, fields):
        v, base = version, self.base_url
        all_values = {
            "summary": lambda: issue["summary"],
            "description": lambda: self._text_for(issue["description"], v),
            "labels": lambda: list(issue["labels"]),
            "status": lambda: self._status(issue["status"], v),
            "issuetype": lambda: {"self": f"{base}/rest/api/{v}/issuetype/{ISSUE_TYPES[issue['issuetype']]}",
                                  "id": ISSUE_TYPES[issue["issuetype"]], "description": "",
                                  "name": issue["issuetype"], "subtask": False, "hierarchyLevel": 0},
            "project": lambda: {"self": f"{base}/rest/api/{v}/project/{PROJECT_ID}", "id": PROJECT_ID,
                                "key": self.project, "name": PROJECT_NAME, "projectTypeKey": "software",
                                "simplified": False},
            "resolution": lambda: self._resolution_repr(issue["resolution"], v) if issue["resolution"] else None,
            "resolutiondate": lambda: issue["resolutiondate"],
            "created": lambda: issue["created"],
            "updated": lambda: issue["updated"],
            "reporter": lambda: self._user(v),
            "creator": lambda: self._user(v),
            "comment": lambda: {"comments": [self._render_comment(issue, c, v) for c in issue["comments"]],
                                "self": f"{self._issue_url(issue, v)}/comment", "maxResults": len(issue["comments"]),
                                "total": len(issue["comments"]), "startAt": 0},
        }
        return {"expand": "operations,versionedRepresentations,editmeta,changelog,renderedFields",
                "id": issue["id"], "self": self._issue_url(issue, v), "key": issue["key"],
                "fields": {name: all_values[name]() for name in fields}}

    def _state_issue(self, issue):
        return {"id": issue["id"], "key": issue["key"], "self": self._issue_url(issue, 2),
                "project": self.project, "issuetype": issue["issuetype"], "summary": issue["summary"],
                "description": issue["description"], "descriptionFormat": issue["descriptionFormat"],
                "labels": list(issue["labels"]), "status": issue["status"],
                "statusCategory": STATUSES[issue["status"]][1], "resolution": issue["resolution"],
                "created": issue["created"], "updated": issue["updated"], "edits": issue["edits"],
                "comments": [dict(c) for c in issue["comments"]],
                "transitions": [dict(t) for t in issue["transitions"]]}


# ==================================================================== HTTP side
class FakeJiraServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, addr, fake, verbose=False):
        super().__init__(addr, Handler)
        self.fake, self.verbose = fake, verbose


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def version_string(self):
        return "vigil-test-fake-jira/1"

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks, total = [], 0
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY:
                    raise ValueError("request body too large")
                chunks.append(self.rfile.read(size))
                self.rfile.readline()  # CRLF after the chunk
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ValueError("request body too large")
        return self.rfile.read(length) if length > 0 else b""

    def _dispatch(self):
        try:
            raw = self._read_body()
        except ValueError as e:
            self.close_connection = True
            return self._send(Response(400, {"errorMessages": [f"Bad request body: {e}"], "errors": {}}))
        url = urlsplit(self.path)
        fake = self.server.fake
        if url.path == "/_fake" or url.path.startswith("/_fake/"):
            resp = fake.control(self.command, url.path, raw)
        else:
            resp = fake.api(self.command, url.path, url.query, self.headers, raw)
            if getattr(resp, "delay", 0):
                time.sleep(resp.delay)
        self._send(resp)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _dispatch

    def _send(self, resp):
        data = b"" if resp.body is None else json.dumps(resp.body, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(resp.status)
            for name, value in resp.headers.items():
                self.send_header(name, value)
            if resp.status != 204:
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if data and resp.status != 204:
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("fake_jira: " + (fmt % args) + "\n")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--user", required=True, help="the account e-mail (HTTP Basic user)")
    p.add_argument("--token", required=True, help="the API token (HTTP Basic password)")
    p.add_argument("--project", default="VUL", help="project key (default VUL)")
    p.add_argument("--ready-file", help="gets the port once listening")
    p.add_argument("--rate-limit-every", type=int, default=0, metavar="N",
                   help="answer every Nth API request with 429 (0 = never)")
    p.add_argument("--legacy-search", choices=("ok", "gone"), default="ok",
                   help="'gone' answers /search with 410 as Jira Cloud does since 2025")
    p.add_argument("-v", "--verbose", action="store_true", help="log each request on stderr")
    args = p.parse_args(argv)
    if not re.fullmatch(r"[A-Z][A-Z0-9_]{0,9}", args.project):
        p.error(f"--project {args.project!r} is not a Jira project key (A-Z, then A-Z0-9_, up to 10)")
    if args.rate_limit_every < 0:
        p.error("--rate-limit-every must be >= 0")

    fake = FakeJira(args.user, args.token, args.project, args.rate_limit_every, args.legacy_search)
    server = FakeJiraServer((LISTEN_HOST, args.port), fake, args.verbose)
    port = server.server_address[1]
    fake.base_url = f"http://{LISTEN_HOST}:{port}"
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()

    if args.ready_file:
        tmp_ready = f"{args.ready_file}.tmp{os.getpid()}"
        with open(tmp_ready, "w") as f:
            f.write(f"{port}\n")
        os.replace(tmp_ready, args.ready_file)
    print(port, flush=True)

    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

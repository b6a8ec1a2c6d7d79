#!/usr/bin/env python3
"""Appends synthetic events to the audit log of a vigil database, exactly as vigil would
(docs/audit.md): canonical leaf, leaf hash, compact range, root after each event. Python 3
standard library only, deterministic.

Usage: gen_audit_events.py DB COUNT   (DB made by `vigil init`; appends COUNT events)
"""
import hashlib
import json
import random
import sqlite3
import sys


def leaf(seq, at, actor, type_, subject, payload):
    s = lambda v: json.dumps(v, ensure_ascii=False)
    return ('{"actor":%s,"at":%d,"payload":%s,"seq":%d,"subject":%s,"type":%s}' %
            (s(actor), at, payload, seq, s(subject), s(type_))).encode()


def main():
    db, count = sys.argv[1], int(sys.argv[2])
    con = sqlite3.connect(db)
    row = con.execute("SELECT value FROM settings WHERE key = 'audit.range'").fetchone()
    size_text, parts_text = row[0].split(":")
    size = int(size_text)
    parts = [bytes.fromhex(h) for h in parts_text.split(",") if h]
    rng = random.Random(1)
    types = ["scan.imported", "decision.created", "decision.approved", "class.changed",
             "review.recorded"]
    at0 = 1772445600
    batch = []
    for i in range(count):
        seq = size + 1
        t = types[rng.randrange(5)]
        payload = json.dumps({"n": i, "note": "synthetic event %d" % i, "values": [i % 7, i % 11]},
                             sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        at = at0 + i
        actor = "analyst%d" % (i % 5)
        subject = "subject %d" % (i % 1000)
        h = hashlib.sha256(b"\x00" + leaf(seq, at, actor, t, subject, payload)).digest()
        # the compact range: merge with equal-sized subtrees (one per trailing one bit)
        carry, s = h, size
        while s & 1:
            carry = hashlib.sha256(b"\x01" + parts.pop() + carry).digest()
            s >>= 1
        parts.append(carry)
        size += 1
        root = parts[-1]
        for p in reversed(parts[:-1]):
            root = hashlib.sha256(b"\x01" + p + root).digest()
        batch.append((seq, at, actor, t, subject, payload, h.hex(), root.hex()))
        if len(batch) == 50000:
            con.executemany("INSERT INTO events VALUES (?,?,?,?,?,?,?,?)", batch)
            batch.clear()
    con.executemany("INSERT INTO events VALUES (?,?,?,?,?,?,?,?)", batch)
    con.execute("UPDATE settings SET value = ? WHERE key = 'audit.range'",
                ("%d:%s" % (size, ",".join(p.hex() for p in parts)),))
    con.commit()
    con.close()


if __name__ == "__main__":
    main()

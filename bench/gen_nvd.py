#!/usr/bin/env python3
"""Generates an NVD-sized set of CVE records by varying real ones, as NVD CVE API 2.0
response pages of 2,000 records (the API's page size).

Usage: gen_nvd.py CORPUS_NVD_DIR OUT_DIR COUNT

Every record is a real record from CORPUS_NVD_DIR (api_pages/*.json[.gz] and cve/*.json)
with a new id (CVE-<year>-<serial>), a lastModified moved by the serial, and its CVSS base
scores kept with their vectors, so that the generated set has real shapes: descriptions,
configurations, references, several metrics per record. Deterministic.
Python 3 standard library only.
"""

import gzip
import json
import os
import sys

PAGE = 2000


def load_records(directory):
    records = []
    for root, _dirs, files in sorted(os.walk(directory)):
        for name in sorted(files):
            path = os.path.join(root, name)
            if not (name.endswith(".json") or name.endswith(".json.gz")):
                continue
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8") as f:
                doc = json.load(f)
            if isinstance(doc, dict) and "vulnerabilities" in doc:
                records.extend(v["cve"] for v in doc["vulnerabilities"])
            elif isinstance(doc, dict) and "id" in doc and "lastModified" in doc:
                records.append(doc)
    return records


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    source, out, count = argv[1], argv[2], int(argv[3])
    records = load_records(source)
    if not records:
        print("no NVD records in %s" % source, file=sys.stderr)
        return 1
    os.makedirs(out, exist_ok=True)
    written = 0
    page_no = 0
    while written < count:
        n = min(PAGE, count - written)
        vulns = []
        for i in range(n):
            serial = written + i
            base = records[serial % len(records)]
            rec = dict(base)
            year = 1999 + serial % 27
            rec["id"] = "CVE-%d-%07d" % (year, serial)
            rec["lastModified"] = "20%02d-%02d-%02dT%02d:%02d:%02d.%03d" % (
                20 + serial % 6, 1 + serial % 12, 1 + serial % 28, serial % 24, serial % 60,
                (serial // 60) % 60, serial % 1000)
            vulns.append({"cve": rec})
        doc = {"resultsPerPage": n, "startIndex": written, "totalResults": count,
               "format": "NVD_CVE", "version": "2.0", "timestamp": "2026-11-01T00:00:00.000",
               "vulnerabilities": vulns}
        with open(os.path.join(out, "nvd-page-%04d.json" % page_no), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2)
        written += n
        page_no += 1
    print("wrote %d records in %d pages to %s" % (written, page_no, out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""docs/api/openapi.yaml is a valid OpenAPI 3.1 document (checked by a linter from npm,
tests/tooling/validate_openapi.mjs) and describes exactly the routes the server answers
(`vigil serve --routes`): every route is in the document and every operation in the document
is a route. The linter is first shown to reject a broken document. Usage: openapi_test.py VIGIL
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from cli_test import RESULTS, VIGIL, check, run_tool  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DOC = os.path.join(ROOT, "docs", "api", "openapi.yaml")
NEEDS = "@seriousme/openapi-schema-validator"


def main():
    with tempfile.TemporaryDirectory() as d:
        broken = os.path.join(d, "broken.yaml")
        with open(broken, "w") as f:
            f.write("openapi: 3.1.0\ninfo: {title: x}\npaths:\n  /x:\n    get:\n"
                    "      responses: 5\n")
        p = run_tool("validate_openapi.mjs", broken, needs=NEEDS)
        if isinstance(p, str):
            check("the OpenAPI linter is installed", False, p)
            return finish()
        check("the linter rejects a broken document", p.returncode == 1, p.stdout + p.stderr)
    p = run_tool("validate_openapi.mjs", DOC, needs=NEEDS)
    check("docs/api/openapi.yaml is valid OpenAPI 3.1", p.returncode == 0, p.stderr[:3000])
    documented = set(p.stdout.split("\n")) - {""}
    r = subprocess.run([VIGIL, "serve", "--routes"], capture_output=True, text=True, timeout=60)
    check("vigil serve --routes", r.returncode == 0 and r.stdout, r.stderr)
    served = set(r.stdout.split("\n")) - {""}
    check("every route of the server is in the document", not served - documented,
          sorted(served - documented))
    check("every operation of the document is a route", not documented - served,
          sorted(documented - served))
    finish()


def finish():
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    sys.exit(1 if RESULTS["failed"] else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Runs vigil's libFuzzer targets (fuzz/README.md): `make fuzz` and `make test-fuzz`.

For each target: builds its seed corpus from the repository's fixtures (and from
$VIGIL_CORPUS when set) into the build directory, replays every input committed under
fuzz/regressions/<target>/, then fuzzes it for the time given. Prints one line per target
(executions, coverage, corpus, result) and exits non-zero when any target found something;
the input that did it is kept in <build>/fuzz/artifacts/<target>/.

  fuzz/run_fuzzers.py --build build-fuzz --seconds 60 [--jobs 2] [--seed 1] [--only nessus,cvss]
"""

import argparse
import concurrent.futures
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# name: (max_len, repository globs, $VIGIL_CORPUS globs). The scan parsers' limits are large
# enough for several hosts with their items; the feeds' for a few records.
REPORT_TARGETS = {
    "nessus": (65536, ["tests/testdata/nessus/*.nessus", "samples/*.nessus"],
               ["nessus/*.nessus", "nessus/*.xml", "nessus_was/*.nessus"]),
    "openvas": (65536, ["tests/testdata/openvas/*.xml"], ["openvas/*.xml"]),
    "qualys": (65536, ["tests/testdata/qualys/*.xml"], ["qualys/*.xml"]),
    "nessus_csv": (32768, ["tests/testdata/nessus-csv/*.csv"], ["nessus/*.csv"]),
    "openvas_csv": (32768, ["tests/testdata/openvas-csv/*.csv"], ["openvas/*.csv"]),
    "qualys_csv": (32768, ["tests/testdata/qualys-csv/*.csv"], ["qualys/*.csv"]),
    "trivy": (65536, ["tests/testdata/trivy/*.json"],
              ["trivy/*.json", "trivy_upstream/*.golden"]),
    "grype": (65536, ["tests/testdata/grype/*.json"],
              ["grype/*.json", "grype_upstream/*.json", "grype_upstream/*.golden"]),
    "sarif": (65536, ["tests/testdata/sarif/*.sarif"], ["sarif/*.sarif", "sarif/*.json"]),
    "cyclonedx": (65536, ["tests/testdata/cyclonedx/*.json"],
                  ["cyclonedx/*.json", "cyclonedx_vex/**/*.json"]),
}
OTHER_TARGETS = {
    "format_detect": (65536, [], []),  # every scan parser's seeds, see Seeds()
    "config": (16384, ["samples/vigil.toml"], []),  # and the TOML of docs/config.md
    "cvss": (256, [], []),  # the vectors quoted in tests/cvss, docs/cvss.md and the corpus
    "inventory_csv": (16384, ["samples/inventory.csv", "fuzz/seeds/inventory_csv/*"], []),
    "nvd_json": (65536, ["fuzz/seeds/nvd_json/*"], ["nvd/**/*.json"]),
    "kev_json": (65536, ["fuzz/seeds/kev_json/*"], ["kev/known_exploited_vulnerabilities.json"]),
    "epss_csv": (16384, ["fuzz/seeds/epss_csv/*"], []),
    "web_forms": (16384, ["fuzz/seeds/web_forms/*"], []),
}
TARGETS = {**REPORT_TARGETS, **OTHER_TARGETS}

CVSS_VECTOR = re.compile(rb"(?:CVSS:\d\.\d/)?(?:[A-Za-z]{1,3}:[A-Za-z]{1,5}/){3,}[A-Za-z]{1,3}:[A-Za-z]{1,5}")
TOML_BLOCK = re.compile(r"```toml\n(.*?)```", re.S)


def Globbed(base, patterns):
    for pattern in patterns:
        for path in sorted(base.glob(pattern)):
            if path.is_file():
                yield path.read_bytes()


def Seeds(name, corpus):
    """The seed inputs of a target, as bytes."""
    if name == "format_detect":
        for other in REPORT_TARGETS:
            yield from Seeds(other, corpus)
        return
    _, repo_globs, corpus_globs = TARGETS[name]
    yield from Globbed(ROOT, repo_globs)
    if corpus:
        yield from Globbed(corpus, corpus_globs)
    if name == "config":
        text = (ROOT / "docs/config.md").read_text(encoding="utf-8")
        for block in TOML_BLOCK.findall(text):
            yield block.encode()
    if name == "cvss":
        sources = list((ROOT / "tests/cvss").glob("*.cc")) + [ROOT / "docs/cvss.md"]
        if corpus:
            sources += sorted(p for p in (corpus / "cvss").glob("vectors_*") if p.is_file())
        for path in sources:
            for vector in CVSS_VECTOR.findall(path.read_bytes())[:500]:
                yield vector


def WriteSeeds(name, corpus, directory):
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    count = 0
    for data in Seeds(name, corpus):
        path = directory / hashlib.sha1(data).hexdigest()
        if not path.exists():
            path.write_bytes(data)
            count += 1
    return count


def Stat(log, key):
    found = re.findall(rf"stat::{key}:\s*(\d+)", log)
    return int(found[-1]) if found else 0


def Coverage(log):
    found = re.findall(r"cov: (\d+) ft: (\d+) corp: (\d+)", log)
    return found[-1] if found else ("0", "0", "0")


def Run(name, args, corpus):
    """Replays the target's regressions, then fuzzes it; returns (ok, summary line)."""
    binary = args.build / "fuzzers" / f"{name}_fuzzer"
    max_len = TARGETS[name][0]
    work = args.build / "fuzz"
    seeds = work / "seeds" / name
    kept = work / "corpus" / name
    artifacts = work / "artifacts" / name
    logs = work / "logs"
    for d in (kept, artifacts, logs):
        d.mkdir(parents=True, exist_ok=True)
    seed_count = WriteSeeds(name, corpus, seeds)
    limits = ["-timeout=25", "-rss_limit_mb=2048", f"-max_len={max_len}",
              f"-artifact_prefix={artifacts}/"]
    regressions = sorted((ROOT / "fuzz/regressions" / name).glob("*"))
    if regressions:
        log_path = logs / f"{name}.replay.log"
        with open(log_path, "w") as log:
            replay = subprocess.run([str(binary)] + limits + [str(p) for p in regressions],
                                    stdout=log, stderr=subprocess.STDOUT)
        if replay.returncode != 0:
            return False, f"{name:14} FAILED replaying fuzz/regressions/{name}/ (see {log_path})"
    command = [str(binary)] + limits + [f"-max_total_time={args.seconds}",
                                        "-print_final_stats=1", str(kept), str(seeds)]
    if args.seed is not None:
        command.append(f"-seed={args.seed}")
    log_path = logs / f"{name}.log"
    started = time.monotonic()
    with open(log_path, "w") as log:
        run = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT)
    elapsed = time.monotonic() - started
    text = log_path.read_text(errors="replace")
    runs = Stat(text, "number_of_executed_units")
    cov, features, corp = Coverage(text)
    line = (f"{name:14} {runs:>10} execs {elapsed:6.0f} s  cov {cov:>5}  ft {features:>6}  "
            f"corpus {corp:>5} (seeds {seed_count}, regressions {len(regressions)})")
    if run.returncode != 0:
        found = sorted(artifacts.glob("*"), key=lambda p: p.stat().st_mtime)
        reproducer = f"{binary} {found[-1]}" if found else "(no artifact)"
        return False, f"{line}  FAILED: see {log_path}; reproduce: {reproducer}"
    return True, line + "  ok"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, required=True, help="the VIGIL_FUZZ build dir")
    parser.add_argument("--seconds", type=int, default=60, help="fuzzing time per target")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)),
                        help="targets run at once (default: one per core)")
    parser.add_argument("--seed", type=int, help="libFuzzer's random seed (default: random)")
    parser.add_argument("--only", help="comma-separated targets (default: all)")
    args = parser.parse_args()
    args.build = args.build.resolve()
    names = args.only.split(",") if args.only else list(TARGETS)
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        sys.exit(f"unknown fuzz targets: {', '.join(unknown)} (known: {', '.join(TARGETS)})")
    corpus = Path(os.environ["VIGIL_CORPUS"]) if os.environ.get("VIGIL_CORPUS") else None
    print(f"fuzz: {len(names)} targets, {args.seconds} s each, {args.jobs} at a time"
          f"{'' if corpus else ' (VIGIL_CORPUS unset: repository seeds only)'}", flush=True)
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
        for ok, line in pool.map(lambda n: Run(n, args, corpus), names):
            print(line, flush=True)
            failed += 0 if ok else 1
    if failed:
        sys.exit(f"fuzz: {failed} of {len(names)} targets found a problem")
    print(f"fuzz: all {len(names)} targets ok")


if __name__ == "__main__":
    main()

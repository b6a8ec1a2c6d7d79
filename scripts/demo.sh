#!/usr/bin/env bash
# The demo: a fresh database in demo/, the two weekly sample scans imported in order, and a
# readable summary of what vigil made of them.
#   scripts/demo.sh [VIGIL] [DB]
set -euo pipefail
cd "$(dirname "$0")/.."
VIGIL="${1:-build/vigil}"
DB="${2:-demo/vigil.db}"
mkdir -p "$(dirname "$DB")"
rm -f "$DB" "$DB-wal" "$DB-shm"

v() { "$VIGIL" --db "$DB" --config samples/vigil.toml --as demo "$@"; }
section() { printf '\n== %s\n' "$*"; }

section "vigil init (the scanner network-weekly comes from samples/vigil.toml: weekly, 1 day of grace)"
v --now 2026-03-01T12:00:00Z init
section "Week 1: the first network scan"
v --now 2026-03-02T12:00:00Z import --scanner network-weekly samples/week1-network.nessus
section "Week 2: the rescan one week later (fixed, absent-unverified and new findings)"
v --now 2026-03-09T12:00:00Z import --scanner network-weekly samples/week2-network.nessus
section "Importing week 2 again changes nothing"
v --now 2026-03-09T12:05:00Z import --scanner network-weekly samples/week2-network.nessus
section "Scanners"
v scanners
section "The expected inventory (samples/inventory.csv)"
v --now 2026-03-09T12:10:00Z assets import samples/inventory.csv
section "Assets, labelled by the inventory and the asset rules of samples/vigil.toml"
v --now 2026-03-09T12:10:00Z assets
section "Open vulnerabilities by class (vigil vulns)"
v vulns
section "Findings the rescan did not report but could not verify as fixed"
v findings --absent-unverified
section "Findings fixed by the rescan"
v findings --state fixed
section "Quarterly scans of the Certificate Systems (vigil coverage on 2026-03-12)"
v --now 2026-03-12T08:00:00Z coverage
section "vigil check on 2026-03-12: the scanner is on time; hsm01 was never scanned (exit code 1)"
v --now 2026-03-12T08:00:00Z check || true
section "vigil check on 2026-03-20, had the next weekly scan never arrived"
v --now 2026-03-20T08:00:00Z check || true
printf '\nThe database is %s; try: %s --db %s findings --format json\n' "$DB" "$VIGIL" "$DB"

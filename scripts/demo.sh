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

v() { "$VIGIL" --db "$DB" --as demo "$@"; }
section() { printf '\n== %s\n' "$*"; }

section "vigil init"
v init
section "Week 1: the first network scan"
v --now 2026-03-02T12:00:00Z import --scanner network-weekly samples/week1-network.nessus
section "Week 2: the rescan one week later (fixed, absent-unverified and new findings)"
v --now 2026-03-09T12:00:00Z import --scanner network-weekly samples/week2-network.nessus
section "Importing week 2 again changes nothing"
v --now 2026-03-09T12:05:00Z import --scanner network-weekly samples/week2-network.nessus
section "Scanners"
v scanners
section "Assets"
v assets
section "Open vulnerabilities by class (vigil vulns)"
v vulns
section "Findings the rescan did not report but could not verify as fixed"
v findings --absent-unverified
section "Findings fixed by the rescan"
v findings --state fixed
section "The scanner is expected weekly (one day of grace)"
v --now 2026-03-09T12:10:00Z scanner set network-weekly --kind network --cadence 7d --grace 1d
section "vigil check on 2026-03-12: all on time"
v --now 2026-03-12T08:00:00Z check || true
section "vigil check on 2026-03-20, had the next weekly scan never arrived (exit code 1)"
v --now 2026-03-20T08:00:00Z check || true
printf '\nThe database is %s; try: %s --db %s findings --format json\n' "$DB" "$VIGIL" "$DB"

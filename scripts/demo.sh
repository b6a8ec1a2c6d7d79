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

v() { "$VIGIL" --db "$DB" --config samples/vigil.toml "$@"; }
section() { printf '\n== %s\n' "$*"; }

section "vigil init (the scanner network-weekly comes from samples/vigil.toml: weekly, 1 day of grace)"
v --now 2026-03-01T12:00:00Z init
section "Users: an admin registers an analyst and an approver"
v --now 2026-03-01T12:00:00Z --as alice user add alice --role admin
v --now 2026-03-01T12:00:00Z --as alice user add bob --role analyst
v --now 2026-03-01T12:00:00Z --as alice user add carol --role approver
section "Week 1: the first network scan"
v --now 2026-03-02T12:00:00Z --as bob import --scanner network-weekly samples/week1-network.nessus
section "Week 2: the rescan one week later (fixed, absent-unverified and new findings)"
v --now 2026-03-09T12:00:00Z --as bob import --scanner network-weekly samples/week2-network.nessus
section "Importing week 2 again changes nothing"
v --now 2026-03-09T12:05:00Z --as bob import --scanner network-weekly samples/week2-network.nessus
section "Scanners"
v --as bob scanners
section "The expected inventory (samples/inventory.csv)"
v --now 2026-03-09T12:10:00Z --as bob assets import samples/inventory.csv
section "Assets, labelled by the inventory and the asset rules of samples/vigil.toml"
v --as bob --now 2026-03-09T12:10:00Z assets
section "Open vulnerabilities by class (vigil vulns)"
v --as bob vulns
section "Findings the rescan did not report but could not verify as fixed"
v --as bob findings --absent-unverified
section "Findings fixed by the rescan"
v --as bob findings --state fixed
section "Compliance clocks on 2026-03-03 (NCSSR v1.7 4.f: 96 hours; ETSI: 48 hours)"
v --as bob --now 2026-03-03T08:00:00Z clocks --rule ncssr-1.7/4.f
section "bob recasts the Apache vulnerability for compensating controls (awaits approval)"
v --as bob --now 2026-03-03T09:00:00Z decide tenable:201198 --type recast --severity MEDIUM \
  --reason compensating-controls \
  --basis "mod_proxy is not loaded on ra-web01; the RA front end only serves static files behind the WAF"
section "bob, an analyst and the author, cannot approve it (four eyes)"
v --as bob --now 2026-03-03T09:05:00Z approve 1 || true
section "carol, an approver, approves it"
v --as carol --now 2026-03-03T10:00:00Z approve 1 --note "checked the WAF and the loaded modules"
section "Its history (vigil vulns show tenable:201198)"
v --as carol --now 2026-03-03T10:05:00Z vulns show tenable:201198
section "Quarterly scans of the Certificate Systems (vigil coverage on 2026-03-12)"
v --as bob --now 2026-03-12T08:00:00Z coverage
section "vigil check on 2026-03-12: the scanner is on time; hsm01 was never scanned; clocks overdue (exit code 1)"
v --as bob --now 2026-03-12T08:00:00Z check || true
section "vigil check on 2026-03-20, had the next weekly scan never arrived"
v --as bob --now 2026-03-20T08:00:00Z check || true
printf '\nThe database is %s; try: %s --db %s findings --format json\n' "$DB" "$VIGIL" "$DB"

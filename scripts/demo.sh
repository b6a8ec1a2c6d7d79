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

v() { "$VIGIL" --db "$DB" "$@"; }
section() { printf '\n== %s\n' "$*"; }

section "vigil init: a test-clock database (the demo moves time with --now, so its evidence says NOT EVIDENCE); the configuration samples/vigil.toml is recorded, with the scanner network-weekly (weekly, 1 day of grace)"
v --now 2026-03-01T12:00:00Z init --test-clock --config samples/vigil.toml
section "Users: an admin registers an analyst and an approver"
# Each user gets a token, shown once; acting under a name other than one's login needs it.
token_of() { sed -n 's/^token: //p'; }
ALICE=$(v --now 2026-03-01T12:00:00Z --as alice user add alice --role admin | tee /dev/stderr | token_of)
BOB=$(VIGIL_TOKEN=$ALICE v --now 2026-03-01T12:00:00Z --as alice user add bob --role analyst | tee /dev/stderr | token_of)
CAROL=$(VIGIL_TOKEN=$ALICE v --now 2026-03-01T12:00:00Z --as alice user add carol --role approver | tee /dev/stderr | token_of)
section "carol renews the token alice issued: only a token she issued herself can approve"
CAROL=$(VIGIL_TOKEN=$CAROL v --now 2026-03-01T12:30:00Z --as carol user token carol | tee /dev/stderr | token_of)
bob() { VIGIL_TOKEN=$BOB v --as bob "$@"; }
carol() { VIGIL_TOKEN=$CAROL v --as carol "$@"; }
section "Week 1: the first network scan"
bob --now 2026-03-02T12:00:00Z import --scanner network-weekly samples/week1-network.nessus
section "Compliance clocks on 2026-03-03 (NCSSR v1.7 4.f: 96 hours; ETSI: 48 hours)"
bob --now 2026-03-03T08:00:00Z clocks --rule ncssr-1.7/4.f
section "bob recasts the Apache vulnerability for compensating controls (awaits approval)"
bob --now 2026-03-03T09:00:00Z decide tenable:201198 --type recast --severity MEDIUM \
  --reason compensating-controls \
  --basis "mod_proxy is not loaded on ra-web01; the RA front end only serves static files behind the WAF"
section "bob, an analyst and the author, cannot approve it (four eyes)"
bob --now 2026-03-03T09:05:00Z approve 1 || true
section "carol, an approver, approves it"
carol --now 2026-03-03T10:00:00Z approve 1 --note "checked the WAF and the loaded modules"
section "Week 2: the rescan one week later (fixed, absent-unverified and new findings)"
bob --now 2026-03-09T12:00:00Z import --scanner network-weekly samples/week2-network.nessus
section "Importing week 2 again changes nothing"
bob --now 2026-03-09T12:05:00Z import --scanner network-weekly samples/week2-network.nessus
section "Scanners"
bob --now 2026-03-09T12:06:00Z scanners
section "The expected inventory (samples/inventory.csv)"
bob --now 2026-03-09T12:10:00Z assets import samples/inventory.csv
section "Assets, labelled by the inventory and the asset rules of samples/vigil.toml"
bob --now 2026-03-09T12:10:00Z assets
section "Open vulnerabilities by class (vigil vulns)"
bob --now 2026-03-09T12:10:00Z vulns
section "Findings the rescan did not report but could not verify as fixed"
bob --now 2026-03-09T12:10:00Z findings --absent-unverified
section "Findings fixed by the rescan"
bob --now 2026-03-09T12:10:00Z findings --state fixed
section "The recast's history (vigil vulns show tenable:201198)"
carol --now 2026-03-09T12:15:00Z vulns show tenable:201198
section "Quarterly scans of the Certificate Systems (vigil coverage on 2026-03-12)"
bob --now 2026-03-12T08:00:00Z coverage
section "vigil check on 2026-03-12: the scanner is on time; hsm01 was never scanned; clocks overdue (exit code 1)"
bob --now 2026-03-12T08:00:00Z check || true
section "vigil check on 2026-03-20, had the next weekly scan never arrived"
bob --now 2026-03-20T08:00:00Z check || true
section "The audit log: every change above is an event; bob signs a checkpoint and verifies"
bob --now 2026-03-20T09:00:00Z audit checkpoint
bob --now 2026-03-20T09:00:00Z audit verify
bob --now 2026-03-20T09:00:00Z audit proof 11
section "The evidence pack for March 2026 (open demo/evidence-2026-03/index.html in a browser)"
rm -rf demo/evidence-2026-03
bob --now 2026-04-01T08:00:00Z report --from 2026-03-01 --to 2026-03-31 --out demo/evidence-2026-03
section "An auditor checks the pack offline, without the database"
"$VIGIL" audit verify --bundle demo/evidence-2026-03
section "Someone edits the recast's factual basis in a copy of the database with sqlite3: verify names the row, the column and the event"
rm -f "$DB.tampered"*
cp "$DB" "$DB.tampered"
[ -f "$DB.key" ] && cp "$DB.key" "$DB.tampered.key"
sqlite3 "$DB.tampered" "UPDATE decisions SET basis = 'reviewed by the team' WHERE id = 1"
VIGIL_TOKEN=$BOB "$VIGIL" --db "$DB.tampered" --as bob audit verify || true
printf '\nThe database is %s; try: %s --db %s findings --format json\n' "$DB" "$VIGIL" "$DB"
